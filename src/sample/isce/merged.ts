import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { llhToXyz, xyzToLlh } from '../../geometry/ellipsoid.js';
import type { Orbit } from '../../geometry/orbit.js';
import { geo2rdr, viewAngles } from '../../geometry/radar.js';
import { utmAzimuth } from '../../geometry/utm.js';
import type { IsceDataType, Interleave } from '../../isce/raster.js';
import { imageXml } from '../../isce/write-xml.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import type { GunwSlcParameters } from '../../product/parameters.js';

/**
 * The geocoded rasters of the sample's `merged/`, as topsApp leaves them for packaging: unwrapped phase with a
 * subsidence bowl, coherence with a lake, SNAPHU components, amplitude, line-of-sight angles, unfiltered coherence,
 * the ionosphere (and dense offsets or wrapped phase when the job asks), zero outside the swath. Written in row
 * blocks under `.partial` names, so even the 30 m size needs little memory and an interrupted write looks unfinished.
 */

export interface MergedRasterOptions {
  /** `[west, south, east, north]` of the geocoded grid. */
  readonly extent: readonly [number, number, number, number];
  readonly spacing: number;
  readonly parameters: GunwSlcParameters;
  /** The reference orbit the line-of-sight angles are solved on. */
  readonly orbit: Orbit;
  /** The swath's ground footprint (lon, lat corners): pixels outside it stay zero. */
  readonly footprint: readonly [number, number][];
  /** A regression to catch: a 2π jump in the eastern component, lower coherence in a box. */
  readonly perturbed: boolean;
  /** The same job again with tiny numerical differences. */
  readonly rerun: boolean;
}

/** Deterministic noise in [-0.5, 0.5) from a pixel's coordinates (no state, so row blocks are independent). */
function noise(i: number, j: number, seed: number): number {
  let h = (Math.imul(i, 73856093) ^ Math.imul(j, 19349663) ^ Math.imul(seed, 83492791)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 2246822507) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 3266489909) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296 - 0.5;
}

interface RasterFile {
  readonly name: string;
  readonly bands: number;
  readonly dataType: IsceDataType;
  readonly scheme: Interleave;
  fd: number;
}

function insideQuad(lon: number, lat: number, quad: readonly [number, number][]): boolean {
  let inside = false;
  for (let a = 0, b = quad.length - 1; a < quad.length; b = a++) {
    const [xa, ya] = quad[a]!;
    const [xb, yb] = quad[b]!;
    if (ya > lat !== yb > lat && lon < ((xb - xa) * (lat - ya)) / (yb - ya) + xa) inside = !inside;
  }
  return inside;
}

/**
 * ISCE2's `los.rdr.geo` bands for the sample, from the sample's own orbit so that they agree with the
 * imaging-geometry cube the packager computes from it: incidence angle, and the azimuth of the target-to-satellite
 * direction in ISCE2's convention (degrees anticlockwise from north; about +102° for this ascending, right-looking
 * pass). Solved at the extent's corners and interpolated bilinearly (the angles vary smoothly over a frame).
 */
function lineOfSightField(
  orbit: Orbit,
  [west, south, east, north]: readonly number[],
): (lat: number, lon: number) => [number, number] {
  const at = (lat: number, lon: number): [number, number] => {
    const target = llhToXyz(lat, lon, 0);
    const seen = geo2rdr(orbit, target, (orbit.start + orbit.end) / 2);
    const [satLat, satLon] = xyzToLlh(seen.position);
    const fromEast = utmAzimuth([lat, lon], [satLat, satLon]);
    const fromNorth = ((((fromEast - 90 + 180) % 360) + 360) % 360) - 180;
    return [viewAngles(seen.position, target).incidence, fromNorth];
  };
  const corners = [at(north!, west!), at(north!, east!), at(south!, west!), at(south!, east!)] as const;
  return (lat, lon) => {
    const x = (lon - west!) / (east! - west!);
    const y = (north! - lat) / (north! - south!);
    const mix = (band: 0 | 1): number =>
      (1 - y) * ((1 - x) * corners[0][band] + x * corners[1][band]) +
      y * ((1 - x) * corners[2][band] + x * corners[3][band]);
    return [mix(0), mix(1)];
  };
}

export function writeMergedRasters(merged: string, options: MergedRasterOptions): void {
  const { extent, spacing, parameters, orbit, footprint, perturbed, rerun } = options;
  const [west, south, east, north] = extent;
  const lineOfSight = lineOfSightField(orbit, [west, south, east, north]);
  const width = Math.round((east - west) / spacing);
  const length = Math.round((north - south) / spacing);
  const files: RasterFile[] = [
    { name: 'filt_topophase.unw.geo', bands: 2, dataType: 'FLOAT', scheme: 'BIL', fd: -1 },
    { name: 'phsig.cor.geo', bands: 1, dataType: 'FLOAT', scheme: 'BIL', fd: -1 },
    { name: 'filt_topophase.unw.conncomp.geo', bands: 1, dataType: 'BYTE', scheme: 'BIL', fd: -1 },
    { name: 'los.rdr.geo', bands: 2, dataType: 'FLOAT', scheme: 'BIL', fd: -1 },
    { name: 'topophase.cor.geo', bands: 2, dataType: 'FLOAT', scheme: 'BIL', fd: -1 },
    { name: 'topophase.ion.geo', bands: 1, dataType: 'FLOAT', scheme: 'BIL', fd: -1 },
    { name: 'topophase.ion.az_shift.geo', bands: 1, dataType: 'FLOAT', scheme: 'BIL', fd: -1 },
    ...(parameters.dense_offsets
      ? [{ name: 'dense_offsets.bil.geo', bands: 2, dataType: 'FLOAT' as const, scheme: 'BIL' as const, fd: -1 }]
      : []),
    ...(parameters.wrapped_phase_layer
      ? [{ name: 'filt_topophase.flat.geo', bands: 1, dataType: 'CFLOAT' as const, scheme: 'BIP' as const, fd: -1 }]
      : []),
  ];
  for (const file of files) {
    file.fd = openSync(join(merged, `${file.name}.partial`), 'w');
    writeFileAtomic(
      join(merged, `${file.name}.xml`),
      imageXml({
        file: file.name,
        width,
        length,
        bands: file.bands,
        dataType: file.dataType,
        scheme: file.scheme,
        x0: west,
        dx: spacing,
        y0: north,
        dy: -spacing,
      }),
    );
  }
  const block = Math.max(1, Math.floor(4_000_000 / width));
  for (let start = 0; start < length; start += block) {
    const rows = Math.min(block, length - start);
    const n = rows * width;
    const f32 = (): Float32Array => new Float32Array(n);
    const [
      amplitude,
      phase,
      coherence,
      incidence,
      azimuth,
      unfiltered,
      magnitude,
      ionosphere,
      shifted,
      offsetsAz,
      offsetsRg,
    ] = [f32(), f32(), f32(), f32(), f32(), f32(), f32(), f32(), f32(), f32(), f32()] as const;
    const components = new Uint8Array(n);
    const wrapped = new Float32Array(parameters.wrapped_phase_layer ? 2 * n : 0);
    for (let r = 0; r < rows; r++) {
      const i = start + r;
      const lat = north - i * spacing;
      for (let j = 0; j < width; j++) {
        const lon = west + j * spacing;
        const k = r * width + j;
        if (!insideQuad(lon, lat, footprint)) continue;
        const lake = (lon + 69.6) ** 2 / 0.12 ** 2 + (lat - 48.1) ** 2 / 0.08 ** 2 < 1;
        const eastern = lon > -69.8;
        amplitude[k] = 40 + 25 * (1 + Math.sin(20 * lon) * Math.cos(25 * lat)) + 4 * noise(i, j, 1);
        let unw =
          2 * Math.PI * ((1.5 * (lon - west)) / (east - west) + (0.8 * (lat - south)) / (north - south)) -
          8 * Math.exp(-((lon + 69.2) ** 2 + (lat - 47.9) ** 2) / 0.02) +
          0.15 * noise(i, j, 2);
        let coh = lake
          ? 0.12 + 0.05 * noise(i, j, 3)
          : Math.min(0.98, Math.max(0.2, 0.6 + 0.3 * Math.sin(3 * lon) * Math.cos(4 * lat) + 0.04 * noise(i, j, 3)));
        if (perturbed && eastern) unw += 2 * Math.PI;
        if (rerun) {
          unw += 4e-5 * noise(i, j, 7);
          coh = Math.min(0.98, coh + 2e-5 * noise(i, j, 8));
        }
        if (perturbed && lon > -70.6 && lon < -70.2 && lat > 47.6 && lat < 47.9) coh = Math.max(0.05, coh - 0.08);
        phase[k] = unw;
        coherence[k] = coh;
        components[k] = lake ? 0 : eastern ? 2 : 1;
        [incidence[k], azimuth[k]] = lineOfSight(lat, lon);
        magnitude[k] = amplitude[k] * 0.9;
        unfiltered[k] = Math.max(0.01, coh * 0.8 + 0.05 * noise(i, j, 4));
        ionosphere[k] = 0.6 * Math.sin(2 * lon) + 0.4 * Math.cos(3 * lat);
        shifted[k] = ionosphere[k] + 0.05 * (((lat - south) / 0.17) % 1);
        offsetsAz[k] = 0.02 * Math.sin(5 * lon);
        offsetsRg[k] = 0.01 * Math.cos(5 * lat);
        if (wrapped.length > 0) {
          const w = Math.atan2(Math.sin(unw), Math.cos(unw));
          wrapped[2 * k] = amplitude[k] * Math.cos(w);
          wrapped[2 * k + 1] = amplitude[k] * Math.sin(w);
        }
      }
    }
    const bil = (...bands: Float32Array[]): Buffer => {
      const out = Buffer.alloc(n * 4 * bands.length);
      for (let r = 0; r < rows; r++) {
        bands.forEach((band, b) =>
          Buffer.from(band.buffer, r * width * 4, width * 4).copy(out, (r * bands.length + b) * width * 4),
        );
      }
      return out;
    };
    const content: Record<string, Buffer> = {
      'filt_topophase.unw.geo': bil(amplitude, phase),
      'phsig.cor.geo': bil(coherence),
      'filt_topophase.unw.conncomp.geo': Buffer.from(components.buffer),
      'los.rdr.geo': bil(incidence, azimuth),
      'topophase.cor.geo': bil(magnitude, unfiltered),
      'topophase.ion.geo': bil(ionosphere),
      'topophase.ion.az_shift.geo': bil(shifted),
      'dense_offsets.bil.geo': bil(offsetsAz, offsetsRg),
      'filt_topophase.flat.geo': Buffer.from(wrapped.buffer),
    };
    for (const file of files) writeSync(file.fd, content[file.name]!);
  }
  for (const file of files) {
    closeSync(file.fd);
    renameSync(join(merged, `${file.name}.partial`), join(merged, file.name));
  }
}
