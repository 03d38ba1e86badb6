import { existsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { ownedFiles } from '../io/owned-dir.js';
import { rdr2geo } from '../geometry/radar.js';
import {
  orbitType,
  radarExtent,
  readProcessingSummary,
  readSwathProducts,
  type SwathProduct,
} from '../isce/products.js';
import { writeNetcdf } from '../netcdf/h5wasm/writer.js';
import type { AttributeSpec, SlabSource } from '../netcdf/spec.js';
import { fromGeoJson, union, type Bounds, type MultiPolygon, type toGeoJson } from '../product/geometry.js';
import type { SceneProperties } from '../io/cmr.js';
import type { GunwSlcParameters } from '../product/parameters.js';
import {
  ISCE2_ION_DEFAULTS,
  ionosphereRecord,
  readIonosphereRecord,
  type IonosphereRecord,
} from '../product/ionosphere-record.js';
import { GUNW_ID_PATTERN } from '../product/gunw-id.js';
import { sideWorkInBackground } from './side-thread.js';
import { CUBE_NODATA, geometryCube, type GeometryCube } from './geocube.js';
import { ionosphereOnCoarseGrid } from './ionosphere-grid.js';
import { MERGED_FILES, MergedDirectory, rasterLayer, RunningMean, slabRows } from './layers.js';
import { metadataJson } from './metadata-json.js';
import type { LayerDescription } from './cf-variables.js';
import { gunwProductSpec, type DataGrid, type ProductContent, type RadarMetadata } from './product-spec.js';
import { solidEarthTidePhase } from './solid-earth-tide.js';
import { WaterMaskLookup } from './water-mask.js';
import { ogrWkt, shapelyWkt } from './wkt.js';
import { dataLayersFor } from '../product/layer-catalogue.js';

/**
 * Packaging: ISCE2's topsApp outputs (merged/, reference/, secondary/, fine_interferogram/, topsProc.xml) plus the
 * job's plan become the delivery directory `<ID>/` with `<ID>.nc`, `<ID>.json` and `<ID>.png`. The directory is
 * assembled under `<ID>.partial` and renamed when everything is written, so a failure leaves nothing that looks
 * complete; any missing input or failed layer fails the whole packaging.
 */

/**
 * What packaging reads of a job's plan (plan.json). Declared here rather than imported from processor/: the
 * processor's steps call packaging, so packaging must not depend on the processor; a `ProcessingPlan` is one.
 */
export interface PackagingPlan {
  readonly productId: string;
  readonly datasetVersion: string;
  readonly parameters: GunwSlcParameters;
  readonly commandLine: string;
  readonly scenes: { readonly reference: readonly SceneProperties[]; readonly secondary: readonly SceneProperties[] };
  readonly extent: Bounds;
  readonly geometry: ReturnType<typeof toGeoJson>;
  readonly localize: {
    readonly dem: { readonly from: string | null };
    readonly waterMask: { readonly file: string } | null;
  };
}

export interface PackageRequest {
  readonly isceDir: string;
  readonly plan: PackagingPlan;
  readonly outputDir: string;
  readonly softwareVersion: string;
  /** Replace a delivery directory of the same product an earlier run wrote in outputDir (`--overwrite`). */
  readonly overwrite?: boolean;
  readonly now?: Date;
  readonly onProgress?: (message: string) => void;
  /**
   * What the ionosphere steps did, when the directory holds no record of it (one the Python plugin made): otherwise
   * ion/gunw-ionosphere.json is read.
   */
  readonly ionosphereRecord?: IonosphereRecord;
}

export interface PackageResult {
  readonly productId: string;
  readonly directory: string;
  readonly netcdf: string;
  readonly json: string;
  readonly png: string;
  readonly layers: readonly string[];
}

/** Python's isoformat + "Z": microseconds only when not zero. */
function isoTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const micro = Math.round((seconds - whole) * 1e6);
  const base = new Date(whole * 1000).toISOString().slice(0, 19);
  return micro === 0 ? `${base}Z` : `${base}.${String(micro).padStart(6, '0')}Z`;
}

function swathCorners(swath: SwathProduct): [number, number][] {
  const extent = radarExtent([swath]);
  const corners = [
    [extent.sensingStart, extent.startingRange],
    [extent.sensingStart, extent.farRange],
    [extent.sensingStop, extent.farRange],
    [extent.sensingStop, extent.startingRange],
  ].map(([t, r]) => {
    const [lat, lon] = rdr2geo(swath.orbit, t!, r!, 0);
    return [lon, lat] as [number, number];
  });
  return [...corners, corners[0]!];
}

/** The union of every swath's radar-corner box on the ground: the product's bounding polygon. */
export function boundingPolygon(swaths: readonly SwathProduct[]): MultiPolygon {
  return union(...swaths.map((s) => [swathCorners(s)]));
}

function meanValid(values: Float32Array, from: number, count: number): number {
  let sum = 0;
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const v = values[i]!;
    if (v !== CUBE_NODATA && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : Number.NaN;
}

const required = (merged: MergedDirectory, file: string, why: string): void => {
  if (!merged.has(file)) throw new Error(`${join(merged.directory, file)} (with its .xml) is missing, and ${why}`);
};

interface CoherenceMeans {
  readonly filtered: RunningMean;
  readonly unfiltered: RunningMean;
  /** The same over land, when the job has a water mask. */
  readonly land: {
    readonly filtered: RunningMean;
    readonly unfiltered: RunningMean;
    readonly water: WaterMaskLookup;
  } | null;
}

/** The data grid's layers the job asks for, each read from its ISCE2 raster as the layer catalogue describes it. */
function dataLayers(merged: MergedDirectory, plan: PackagingPlan, means: CoherenceMeans): DataGrid['layers'] {
  return dataLayersFor(plan.parameters).map((entry) => {
    required(
      merged,
      entry.file,
      entry.enabledBy ? `the job asks for ${entry.name} (${entry.enabledBy})` : 'every GUNW needs it',
    );
    const statistic = entry.statistic;
    const source = rasterLayer(merged, entry.file, {
      band: entry.band,
      ...(entry.complex ? { complex: entry.complex } : {}),
      ...(entry.outsideSwath !== undefined ? { outsideSwath: entry.outsideSwath } : {}),
      ...(statistic
        ? {
            mean: means[statistic],
            ...(means.land ? { landMean: { mean: means.land[statistic], water: means.land.water } } : {}),
          }
        : {}),
    });
    const spec: LayerDescription = {
      description: entry.description,
      fill: entry.fill,
      ...(entry.units !== undefined ? { units: entry.units } : {}),
    };
    return { name: entry.name, source, spec };
  });
}

function ionosphereContent(
  merged: MergedDirectory,
  plan: PackagingPlan,
  isceDir: string,
  given: IonosphereRecord | undefined,
): Pick<ProductContent, 'ionosphere' | 'ionosphereBurstRamps'> {
  if (!plan.parameters.estimate_ionosphere_delay) return { ionosphere: null, ionosphereBurstRamps: null };
  required(
    merged,
    MERGED_FILES.ionosphere,
    'the job estimates the ionosphere (the ion:* steps make it, geocode geocodes it)',
  );
  const resampled = ionosphereOnCoarseGrid(merged);
  const width = merged.grid.width;
  // The ionosphere's rows are needed only while a slab is made: one buffer for all of them.
  let ionRows = new Float32Array(0);
  const ramps: SlabSource | null = merged.has(MERGED_FILES.ionosphereAzimuthShift)
    ? {
        kind: 'slabs',
        fresh: true,
        read(start, count, into) {
          const shifted = merged
            .reader(MERGED_FILES.ionosphereAzimuthShift)
            .readRows(1, start, count, slabRows(into, count, width));
          if (ionRows.length < count * width) ionRows = new Float32Array(count * width);
          const ion = merged
            .reader(MERGED_FILES.ionosphere)
            .readRows(1, start, count, ionRows.subarray(0, count * width));
          for (let i = 0; i < shifted.length; i++)
            shifted[i] = shifted[i] === 0 || ion[i] === 0 ? Number.NaN : shifted[i]! - ion[i]!;
          return shifted;
        },
      }
    : null;
  const record = readIonosphereRecord(isceDir) ?? given ?? null;
  return {
    ionosphere: { ...resampled, attributes: record ? recordedAttributes(record) : UNRECORDED_IONOSPHERE },
    ionosphereBurstRamps: ramps
      ? { source: ramps, processingSteps: record?.ionosphereBurstRamps.processing_steps ?? BURST_RAMP_STEPS }
      : null,
  };
}

/** The ionosphere steps' record (ion/gunw-ionosphere.json), typed as the plugin's attributes are. */
function recordedAttributes(record: IonosphereRecord): Record<string, AttributeSpec> {
  // In the record's (the plugin's) order; the looks are int64 pairs, as numpy writes Python int lists.
  return Object.fromEntries(
    Object.entries(record.ionosphere).map(([name, value]): [string, AttributeSpec] =>
      name.startsWith('multilook_') ? [name, { dtype: 'i8', value: value as readonly number[] }] : [name, value],
    ),
  );
}

/**
 * A work directory without the ionosphere steps' record (one made by topsApp's own ion step, the sample, or an older
 * release): ISCE2's defaults for the steps and looks, no mask, bridging or component-0 masking claimed, and nothing
 * said about the swath mode, which is not known.
 */
const UNRECORDED = ionosphereRecord(ISCE2_ION_DEFAULTS, {
  waterMask: null,
  bridged: false,
  maskedComponentZero: false,
});
const UNRECORDED_IONOSPHERE: Record<string, AttributeSpec> = Object.fromEntries(
  Object.entries(recordedAttributes(UNRECORDED)).filter(([name]) => !name.startsWith('swath_')),
);
const BURST_RAMP_STEPS = UNRECORDED.ionosphereBurstRamps.processing_steps;

function radarMetadata(
  reference: readonly SwathProduct[],
  secondary: readonly SwathProduct[],
  fine: readonly SwathProduct[],
  plan: PackagingPlan,
  isceVersion: string,
): RadarMetadata {
  const extent = radarExtent(fine);
  return {
    wavelength: reference[0]!.wavelength,
    isceVersion,
    esdThreshold: plan.parameters.esd_coherence_threshold >= 0 ? plan.parameters.esd_coherence_threshold : -1,
    zeroDopplerStart: isoTime(extent.sensingStart),
    zeroDopplerEnd: isoTime(extent.sensingStop),
    azimuthTimeInterval: fine[0]!.azimuthTimeInterval,
    slantRangeSpacing: fine[0]!.rangePixelSize,
    slantRangeStart: extent.startingRange,
    slantRangeEnd: extent.farRange,
    orbitType: { reference: orbitType(reference), secondary: orbitType(secondary) },
  };
}

export async function packageGunw(request: PackageRequest): Promise<PackageResult> {
  const { isceDir, plan } = request;
  const progress = request.onProgress ?? (() => undefined);
  const merged = new MergedDirectory(join(isceDir, 'merged'));
  const id = plan.productId;
  // The plan may come from anywhere (hand-written, another version): its product ID names a directory and files.
  if (!GUNW_ID_PATTERN.test(id))
    throw new UsageError(
      `plan.json: productId ${JSON.stringify(id)} is not a GUNW product ID; make the plan with isce2_topsapp`,
    );
  let closeAfter: WaterMaskLookup | null = null;
  const finalDir = join(request.outputDir, id);
  const writing = ownedFiles(request.outputDir, '--out').beginDirectory(id, {
    set: 'delivery',
    overwrite: request.overwrite === true,
  });
  const partialDir = writing.staging;
  const side = sideWorkInBackground(merged.directory);
  try {
    const reference = readSwathProducts(join(isceDir, 'reference'));
    const secondary = readSwathProducts(join(isceDir, 'secondary'));
    const fine = existsSync(join(isceDir, 'fine_interferogram'))
      ? readSwathProducts(join(isceDir, 'fine_interferogram'))
      : reference;
    const processing = readProcessingSummary(join(isceDir, 'topsProc.xml'));
    progress('imaging geometry cube');
    const cube: GeometryCube = geometryCube(reference, secondary);
    const g = merged.grid;
    const water = waterMaskOf(isceDir, plan);
    const means: CoherenceMeans = {
      filtered: new RunningMean(),
      unfiltered: new RunningMean(),
      land: water ? { filtered: new RunningMean(), unfiltered: new RunningMean(), water } : null,
    };
    closeAfter = water;
    const grid: DataGrid = {
      lons: Float64Array.from({ length: g.width }, (_, j) => g.x0 + j * g.dx),
      lats: Float64Array.from({ length: g.length }, (_, i) => g.y0 + i * g.dy),
      layers: dataLayers(merged, plan, means),
    };
    const mean = (values: readonly number[]): number | null =>
      values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null;
    const ionosphere = ionosphereContent(merged, plan, isceDir, request.ionosphereRecord);
    const content: ProductContent = {
      job: {
        parameters: plan.parameters,
        commandLine: plan.commandLine,
        frameId: plan.parameters.frame_id,
        scenes: plan.scenes,
        softwareVersion: request.softwareVersion,
        demDescription: plan.localize.dem.from
          ? `user-supplied (${basename(plan.localize.dem.from)})`
          : 'Copernicus GLO-30',
      },
      grid,
      cube,
      radar: radarMetadata(reference, secondary, fine, plan, processing.isceVersion),
      boundingBoxWkt: ogrWkt(boundingPolygon(fine)),
      productGeometryWkt: shapelyWkt(fromGeoJson(plan.geometry)),
      formatVersion:
        plan.parameters.estimate_ionosphere_delay || plan.parameters.compute_solid_earth_tide ? '1c' : '1b',
      meanBaselines: {
        parallel: mean(processing.parallelBaselines),
        perpendicular: mean(processing.perpendicularBaselines),
      },
      ...ionosphere,
      solidEarthTide: plan.parameters.compute_solid_earth_tide
        ? {
            reference: solidEarthTidePhase(cube, cube.referenceTideTime, reference[0]!.wavelength),
            secondary: solidEarthTidePhase(cube, cube.secondaryTideTime, secondary[0]!.wavelength),
          }
        : null,
    };
    const netcdf = join(partialDir, `${id}.nc`);
    progress(`writing ${id}.nc`);
    await writeNetcdf(netcdf, gunwProductSpec(content), {
      finalAttributes: async () => {
        const los = await side.take();
        const statistics: Record<string, AttributeSpec> = {};
        const add = (name: string, value: number | null): void => {
          if (value !== null) statistics[name] = { dtype: 'f4', value };
        };
        add('mean_filtered_coherence_without_water_mask', means.filtered.value);
        add('mean_filtered_coherence_with_water_mask', means.land?.filtered.value ?? null);
        add('mean_unfiltered_coherence_without_water_mask', means.unfiltered.value);
        add('mean_unfiltered_coherence_with_water_mask', means.land?.unfiltered.value ?? null);
        add('mean_incidence_angle', los.incidence);
        add('mean_azimuth_angle', los.azimuth === null ? null : los.azimuth + 90);
        return { '/': statistics };
      },
    });
    progress('browse image and metadata');
    writeFileSync(join(partialDir, `${id}.png`), (await side.take()).png);
    const lowest = cube.lats.length * cube.lons.length;
    const json = metadataJson({
      productId: id,
      datasetVersion: plan.datasetVersion,
      geometry: plan.geometry,
      extent: plan.extent,
      frameId: plan.parameters.frame_id,
      scenes: plan.scenes,
      referenceNames: plan.parameters.reference_scenes,
      secondaryNames: plan.parameters.secondary_scenes,
      perpendicularBaseline: meanValid(cube.perpendicularBaseline, 0, lowest),
      now: request.now ?? new Date(),
    });
    writeFileSync(join(partialDir, `${id}.json`), `${JSON.stringify(json, null, 2)}\n`);
    writing.commit();
    return {
      productId: id,
      directory: finalDir,
      netcdf: join(finalDir, `${id}.nc`),
      json: join(finalDir, `${id}.json`),
      png: join(finalDir, `${id}.png`),
      layers: grid.layers.map((l) => l.name),
    };
  } finally {
    side.cancel();
    writing.abandon();
    merged.close();
    closeAfter?.close();
  }
}

/** The water mask the localization made or placed (`water_mask.wgs84` in the work directory), if there is one. */
function waterMaskOf(isceDir: string, plan: PackagingPlan): WaterMaskLookup | null {
  const file = plan.localize.waterMask?.file;
  if (!file) return null;
  const path = join(isceDir, file);
  return existsSync(`${path}.xml`) ? new WaterMaskLookup(path) : null;
}
