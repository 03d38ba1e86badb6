import type { GroupSpec } from '../netcdf/spec.js';
import type { SampleLayers } from './fields.js';
import { gunwProductSpec, type DataGrid } from '../packaging/product-spec.js';
import type { GeometryCube } from '../packaging/geocube.js';
import { dataLayer } from '../product/layer-catalogue.js';
import { SENTINEL1_WAVELENGTH_M } from '../product/missions.js';
import { gunwSlcParameters } from '../product/parameters.js';

/**
 * A small product with the GUNW v3 layout (docs/packaging.md), made by the packager's own layout
 * ({@link gunwProductSpec}) from synthetic layers: root attributes and provenance, the data grid, the
 * imaging-geometry cube, the ionosphere layer on its own coarser grid, and radar metadata. Built as a
 * {@link GroupSpec} so it can be written to disk or served from memory.
 */

export interface SampleMetadata {
  readonly commandLine: string;
  readonly softwareVersion: string;
  readonly referenceGranules: readonly string[];
  readonly secondaryGranules: readonly string[];
  /** Units attribute of the coherence layer (a place to plant an attribute difference). */
  readonly coherenceUnits: string;
}

export const SAMPLE_ORIGIN = { latitude: 36.6, longitude: -118.9 } as const;
/** 3 arc-seconds, the 90 m GUNW grid. */
export const SAMPLE_PIXEL_DEG = 3 / 3600;
const SAMPLE_FRAME = 25502;
const HEIGHTS = [-1500, 0, 3000, 9000];
const META_SPACING = 0.1;
const IONO_DECIMATION = 10;
const SAMPLE_LAYERS = ['unwrappedPhase', 'coherence', 'connectedComponents', 'amplitude'] as const;

function linspace(start: number, step: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => start + i * step);
}

/** Geometry cubes: smooth functions of position and height, as makeGeocube produces. */
function cube(nLat: number, nLon: number, f: (x: number, y: number, h: number) => number): Float32Array {
  const out = new Float32Array(HEIGHTS.length * nLat * nLon);
  HEIGHTS.forEach((h, k) => {
    for (let i = 0; i < nLat; i++)
      for (let j = 0; j < nLon; j++) out[(k * nLat + i) * nLon + j] = f(j / nLon, i / nLat, h);
  });
  return out;
}

function geometryCube(rows: number, cols: number): GeometryCube {
  const nLat = Math.ceil((rows * SAMPLE_PIXEL_DEG) / META_SPACING) + 5;
  const nLon = Math.ceil((cols * SAMPLE_PIXEL_DEG) / META_SPACING) + 5;
  const unsolved = new Float64Array(HEIGHTS.length * nLat * nLon).fill(Number.NaN);
  return {
    lons: linspace(SAMPLE_ORIGIN.longitude - 0.2, META_SPACING, nLon),
    lats: linspace(SAMPLE_ORIGIN.latitude + 0.2, -META_SPACING, nLat),
    heights: Float64Array.from(HEIGHTS),
    perpendicularBaseline: cube(nLat, nLon, (x, y, h) => 105.3 + 6 * x - 2 * y + 0.0003 * h),
    parallelBaseline: cube(nLat, nLon, (x, y, h) => -42.7 + 3.5 * x + y - 0.0001 * h),
    incidenceAngle: cube(nLat, nLon, (x, y, h) => 30.2 + 15.6 * x + 0.4 * y - 0.0002 * h),
    lookAngle: cube(nLat, nLon, (x, y, h) => 27.1 + 13.9 * x + 0.3 * y + 0.0001 * h),
    azimuthAngle: cube(nLat, nLon, (x, y) => -101.5 + 1.2 * x - 0.8 * y),
    referenceTideTime: unsolved,
    secondaryTideTime: unsolved,
  };
}

function ionosphere(layers: SampleLayers): { lons: Float64Array; lats: Float64Array; values: Float32Array } {
  const rows = Math.ceil(layers.rows / IONO_DECIMATION);
  const cols = Math.ceil(layers.cols / IONO_DECIMATION);
  const values = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const inside = layers.swath[r * IONO_DECIMATION * layers.cols + c * IONO_DECIMATION] === 1;
      values[r * cols + c] = inside ? 1.5 * Math.sin((3 * c) / cols + 0.4) * Math.cos((2 * r) / rows) : Number.NaN;
    }
  }
  return {
    lons: linspace(SAMPLE_ORIGIN.longitude, SAMPLE_PIXEL_DEG * IONO_DECIMATION, cols),
    lats: linspace(SAMPLE_ORIGIN.latitude, -SAMPLE_PIXEL_DEG * IONO_DECIMATION, rows),
    values,
  };
}

/** The data layers the sample holds, described as the catalogue describes them (coherence units may be planted). */
function dataGrid(layers: SampleLayers, coherenceUnits: string): DataGrid {
  return {
    lats: linspace(SAMPLE_ORIGIN.latitude, -SAMPLE_PIXEL_DEG, layers.rows),
    lons: linspace(SAMPLE_ORIGIN.longitude, SAMPLE_PIXEL_DEG, layers.cols),
    layers: SAMPLE_LAYERS.map((name) => {
      const entry = dataLayer(name);
      return {
        name,
        source: layers[name],
        spec: { ...entry, ...(name === 'coherence' ? { units: coherenceUnits } : {}) },
      };
    }),
  };
}

const sceneName = (granule: string): { sceneName: string } => ({ sceneName: granule.replace(/\.zip$/, '') });

export function sampleProductSpec(layers: SampleLayers, meta: SampleMetadata): GroupSpec {
  const { rows, cols } = layers;
  const reference = meta.referenceGranules.map(sceneName);
  const secondary = meta.secondaryGranules.map(sceneName);
  const south = SAMPLE_ORIGIN.latitude - rows * SAMPLE_PIXEL_DEG;
  const east = SAMPLE_ORIGIN.longitude + cols * SAMPLE_PIXEL_DEG;
  const [w, n] = [SAMPLE_ORIGIN.longitude, SAMPLE_ORIGIN.latitude];
  const wkt = `POLYGON((${w} ${south},${east} ${south},${east} ${n},${w} ${n},${w} ${south}))`;
  const iono = ionosphere(layers);
  const spec = gunwProductSpec({
    job: {
      parameters: gunwSlcParameters.parse({
        reference_scenes: reference.map((s) => s.sceneName),
        secondary_scenes: secondary.map((s) => s.sceneName),
        frame_id: SAMPLE_FRAME,
        compute_solid_earth_tide: false,
        unfiltered_coherence: false,
      }),
      commandLine: meta.commandLine,
      frameId: SAMPLE_FRAME,
      scenes: { reference, secondary },
      softwareVersion: meta.softwareVersion,
      demDescription: 'Copernicus GLO-30',
    },
    grid: dataGrid(layers, meta.coherenceUnits),
    cube: geometryCube(rows, cols),
    radar: {
      wavelength: SENTINEL1_WAVELENGTH_M,
      isceVersion: '2.6.3',
      esdThreshold: -1,
      zeroDopplerStart: '2022-02-12T22:28:05.123456',
      zeroDopplerEnd: '2022-02-12T22:28:52.654321',
      azimuthTimeInterval: 0.002055556299999998,
      slantRangeSpacing: 2.329562,
      slantRangeStart: 800000,
      slantRangeEnd: 956000,
      orbitType: { reference: 'precise', secondary: 'precise' },
    },
    boundingBoxWkt: wkt,
    productGeometryWkt: wkt,
    formatVersion: '1c',
    meanBaselines: { parallel: -40.2, perpendicular: 108.1 },
    ionosphere: { ...iono, attributes: {} },
    ionosphereBurstRamps: null,
    solidEarthTide: null,
  });
  // The only attribute a production product lacks: a synthetic product says so (CF's `comment`).
  return {
    ...spec,
    attributes: { ...spec.attributes, comment: 'Synthetic sample made by `gunw sample`; not a real interferogram.' },
  };
}
