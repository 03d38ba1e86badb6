import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { solidTideEnu } from '../../src/geometry/solid-tide.js';
import { readSwathProducts } from '../../src/isce/products.js';
import { geometryCube, tidePoint, CUBE_NODATA } from '../../src/packaging/geocube.js';
import { solidEarthTidePhase } from '../../src/packaging/solid-earth-tide.js';
import { writeIsceSample } from '../../src/sample/isce/index.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/**
 * The solid Earth tide against the real PySolid (Debian's python3-pysolid, Milbert's solid.for), evaluated the way
 * the Python plugin evaluates it (test/fixtures/pysolid_reference.py). The product's limit is 0.05 rad of
 * line-of-sight phase (about 0.2 mm at C band).
 */

const WAVELENGTH = 0.05546576;
const RADIANS_PER_METRE = (4 * Math.PI) / WAVELENGTH;
const available = hasPythonModules('pysolid');

function pysolid(points: readonly (readonly [number, number, number])[]): [number, number, number][] {
  const run = spawnSync(PYTHON, [join(import.meta.dirname, '../fixtures/pysolid_reference.py')], {
    input: JSON.stringify(points),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as [number, number, number][];
}

/** The plugin's projection: positive towards the satellite, azimuth angle measured as its cube stores it. */
function lineOfSight([east, north, up]: readonly number[], incidenceDeg: number, azimuthDeg: number): number {
  const inc = (incidenceDeg * Math.PI) / 180;
  const az = ((azimuthDeg - 90) * Math.PI) / 180;
  return east! * -Math.sin(inc) * Math.sin(az) + north! * Math.sin(inc) * Math.cos(az) + up! * Math.cos(inc);
}

describe.skipIf(!available)('solid Earth tides against PySolid', () => {
  it('agree at every date from 2015 to today, in both hemispheres, for ascending and descending looks', () => {
    const places: [number, number][] = [
      [47.05, -71.35],
      [-33.9, 151.2],
      [0.4, 100.1],
      [75.2, 20.5],
      [-62.1, -58.9],
      [19.4, -155.3],
      [-20.2, -170.4],
    ];
    const times: number[] = [];
    // Every 37 days and 5 hours from the first Sentinel-1 products to today: all seasons, hours and lunar phases.
    for (
      let t = Date.parse('2015-01-01T00:00:00Z') / 1000;
      t < Date.parse('2026-12-04T00:00:00Z') / 1000;
      t += 37 * 86400 + 5 * 3600 + 0.37
    )
      times.push(t);
    const points = places.flatMap(([lat, lon]) => times.map((t) => [lat, lon, t] as const));
    const reference = pysolid(points);
    let worstEnu = 0;
    let worstPhase = 0;
    points.forEach(([lat, lon, t], i) => {
      const ours = solidTideEnu(lat, lon, t);
      for (let c = 0; c < 3; c++) worstEnu = Math.max(worstEnu, Math.abs(ours[c]! - reference[i]![c]!));
      for (const [incidence, azimuth] of [
        [30.5, 77.5],
        [45.8, 77.5],
        [30.5, -102.5],
        [45.8, -102.5],
      ] as const) {
        worstPhase = Math.max(
          worstPhase,
          Math.abs(lineOfSight(ours, incidence, azimuth) - lineOfSight(reference[i]!, incidence, azimuth)) *
            RADIANS_PER_METRE,
        );
      }
    });
    expect(points.length).toBeGreaterThan(800);
    // Millimetres would be rad-level errors; this is the same model to a nanometre-level rounding of solid's output.
    expect(worstEnu).toBeLessThan(1e-6);
    expect(worstPhase).toBeLessThan(0.05);
  }, 120_000);

  it("agree on every cell of both tide layers of the sample product, at the plugin's tide points and times", async () => {
    const { isceDir } = await writeIsceSample(join(tempDir('gunw-tide-'), 'isce'));
    const reference = readSwathProducts(join(isceDir, 'reference'));
    const secondary = readSwathProducts(join(isceDir, 'secondary'));
    const cube = geometryCube(reference, secondary);
    const perLevel = cube.lats.length * cube.lons.length;
    for (const [times, wavelength] of [
      [cube.referenceTideTime, reference[0]!.wavelength],
      [cube.secondaryTideTime, secondary[0]!.wavelength],
    ] as const) {
      const layer = solidEarthTidePhase(cube, times, wavelength);
      const cells: number[] = [];
      const points: [number, number, number][] = [];
      for (let at = 0; at < times.length; at++) {
        if (!Number.isFinite(times[at]!) || cube.incidenceAngle[at] === CUBE_NODATA) continue;
        const cell = at % perLevel;
        cells.push(at);
        points.push([
          ...tidePoint(cube.lats[Math.floor(cell / cube.lons.length)]!, cube.lons[cell % cube.lons.length]!),
          times[at]!,
        ]);
      }
      expect(cells.length).toBeGreaterThan(100);
      const enu = pysolid(points);
      const radians = (4 * Math.PI) / wavelength;
      let worst = 0;
      cells.forEach((at, i) => {
        const expected = lineOfSight(enu[i]!, cube.incidenceAngle[at]!, cube.azimuthAngle[at]!) * radians;
        worst = Math.max(worst, Math.abs(layer[at]! - expected));
      });
      expect(worst).toBeLessThan(0.05);
    }
  }, 120_000);
});
