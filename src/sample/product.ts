import type { GroupSpec, VariableSpec } from '../netcdf/spec.js';
import { COMPONENT_FILL, PHASE_FILL, type SampleLayers } from './fields.js';
import { crsVariable } from '../packaging/cf-variables.js';
import { EPSG_4326_WKT } from '../packaging/wkt.js';
import { SENTINEL1_WAVELENGTH_M } from '../product/missions.js';

/**
 * A small product with the GUNW v3 layout (docs/packaging.md): root attributes and
 * provenance, the data grid, the imaging-geometry cube, the ionosphere layer on its own coarser grid, and radar
 * metadata. Built as a {@link GroupSpec} so it can be written to disk or served from memory.
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
const HEIGHTS = [-1500, 0, 3000, 9000];
const META_SPACING = 0.1;
const IONO_DECIMATION = 10;
function axis(name: string, values: Float64Array, units: string, cfName: string, axisType: string): VariableSpec {
  return {
    name,
    dtype: 'f8',
    dimensions: [name],
    data: values,
    attributes: { _CoordinateAxisType: axisType, units, long_name: cfName, standard_name: cfName },
  };
}

function layer(
  name: string,
  data: Float32Array,
  dims: string[],
  fill: number,
  units: string,
  description: string,
  chunks: number[],
  grid = 'crs',
): VariableSpec {
  return {
    name,
    dtype: 'f4',
    dimensions: dims,
    data,
    fillValue: fill,
    chunks,
    deflate: 4,
    attributes: { description, units, grid_mapping: grid, long_name: name, standard_name: name },
  };
}

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

function ionosphere(layers: SampleLayers): { rows: number; cols: number; values: Float32Array } {
  const rows = Math.ceil(layers.rows / IONO_DECIMATION);
  const cols = Math.ceil(layers.cols / IONO_DECIMATION);
  const values = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const inside = layers.swath[r * IONO_DECIMATION * layers.cols + c * IONO_DECIMATION] === 1;
      values[r * cols + c] = inside ? 1.5 * Math.sin((3 * c) / cols + 0.4) * Math.cos((2 * r) / rows) : Number.NaN;
    }
  }
  return { rows, cols, values };
}

export function sampleProductSpec(layers: SampleLayers, meta: SampleMetadata): GroupSpec {
  const { rows, cols } = layers;
  const chunks = [Math.ceil(rows / 2), Math.ceil(cols / 2)];
  const latitude = linspace(SAMPLE_ORIGIN.latitude, -SAMPLE_PIXEL_DEG, rows);
  const longitude = linspace(SAMPLE_ORIGIN.longitude, SAMPLE_PIXEL_DEG, cols);
  const nLat = Math.ceil((rows * SAMPLE_PIXEL_DEG) / META_SPACING) + 5;
  const nLon = Math.ceil((cols * SAMPLE_PIXEL_DEG) / META_SPACING) + 5;
  const iono = ionosphere(layers);
  const south = SAMPLE_ORIGIN.latitude - rows * SAMPLE_PIXEL_DEG;
  const east = SAMPLE_ORIGIN.longitude + cols * SAMPLE_PIXEL_DEG;
  const wkt = `POLYGON((${SAMPLE_ORIGIN.longitude} ${south},${east} ${south},${east} ${SAMPLE_ORIGIN.latitude},${SAMPLE_ORIGIN.longitude} ${SAMPLE_ORIGIN.latitude},${SAMPLE_ORIGIN.longitude} ${south}))`;
  const geometryDims = ['heightsMeta', 'latitudeMeta', 'longitudeMeta'];
  const geometry = (
    name: string,
    units: string,
    description: string,
    f: (x: number, y: number, h: number) => number,
  ): VariableSpec =>
    layer(name, cube(nLat, nLon, f), geometryDims, 0, units, description, [HEIGHTS.length, nLat, nLon], 'crsMeta');

  return {
    dimensions: { wkt_length: wkt.length, wkt_count: 1 },
    attributes: {
      product_type: 'UNW GEO IFG',
      Conventions: 'CF-1.6',
      title: 'ARIA standard product UNW GEO IFG',
      version: '1c',
      author: 'dockerized-topsapp sample generator',
      institution: 'Jet Propulsion Laboratory',
      source: `Contains modified Copernicus Sentinel data processed by ESA and ARIA NASA/JPL (synthetic sample) version ${meta.softwareVersion}`,
      references: 'https://aria.jpl.nasa.gov/',
      ogr_geometry_field: 'productBoundingBox',
      ogr_layer_name: 'productBoundingBox',
      ogr_layer_type: 'POLYGON',
      aria_frame_id: { dtype: 'i8', value: 25502 },
      topsapp_command_line_string: { dtype: 'string', value: meta.commandLine },
      isce2_topsapp_version: { dtype: 'string', value: meta.softwareVersion },
    },
    variables: [
      {
        name: 'productBoundingBox',
        dtype: 'char',
        dimensions: ['wkt_count', 'wkt_length'],
        data: [wkt],
        attributes: {
          description: 'Product bounding box defined as ISO WKT polygon',
          units: 'unitless',
          grid_mapping: 'crs_polygon',
        },
      },
      { name: 'crs_polygon', dtype: 'i4', data: 0, attributes: { spatial_ref: EPSG_4326_WKT } },
    ],
    groups: {
      science: {
        groups: {
          grids: {
            attributes: {
              frame_id: { dtype: 'i8', value: 25502 },
              output_resolution: { dtype: 'i8', value: 90 },
              esd_coherence_threshold: -1,
            },
            groups: {
              data: {
                dimensions: { latitude: rows, longitude: cols },
                variables: [
                  crsVariable('crs', EPSG_4326_WKT),
                  axis('latitude', latitude, 'degrees_north', 'latitude', 'Lat'),
                  axis('longitude', longitude, 'degrees_east', 'longitude', 'Lon'),
                  layer(
                    'unwrappedPhase',
                    layers.unwrappedPhase,
                    ['latitude', 'longitude'],
                    PHASE_FILL,
                    'rad',
                    'Unwrapped phase',
                    chunks,
                  ),
                  layer(
                    'coherence',
                    layers.coherence,
                    ['latitude', 'longitude'],
                    0,
                    meta.coherenceUnits,
                    'Coherence',
                    chunks,
                  ),
                  layer(
                    'connectedComponents',
                    layers.connectedComponents,
                    ['latitude', 'longitude'],
                    COMPONENT_FILL,
                    'unitless',
                    'Snaphu connected components',
                    chunks,
                  ),
                  layer('amplitude', layers.amplitude, ['latitude', 'longitude'], 0, 'watt', 'Amplitude', chunks),
                ],
              },
              imagingGeometry: {
                dimensions: { heightsMeta: HEIGHTS.length, latitudeMeta: nLat, longitudeMeta: nLon },
                variables: [
                  crsVariable('crsMeta', EPSG_4326_WKT),
                  axis('heightsMeta', Float64Array.from(HEIGHTS), 'meter', 'height', 'Lev'),
                  axis(
                    'latitudeMeta',
                    linspace(SAMPLE_ORIGIN.latitude + 0.2, -META_SPACING, nLat),
                    'degrees_north',
                    'latitude',
                    'Lat',
                  ),
                  axis(
                    'longitudeMeta',
                    linspace(SAMPLE_ORIGIN.longitude - 0.2, META_SPACING, nLon),
                    'degrees_east',
                    'longitude',
                    'Lon',
                  ),
                  geometry(
                    'perpendicularBaseline',
                    'meter',
                    'Perpendicular baseline',
                    (x, y, h) => 105.3 + 6 * x - 2 * y + 0.0003 * h,
                  ),
                  geometry(
                    'parallelBaseline',
                    'meter',
                    'Parallel baseline',
                    (x, y, h) => -42.7 + 3.5 * x + y - 0.0001 * h,
                  ),
                  geometry(
                    'incidenceAngle',
                    'degrees',
                    'Incidence angle',
                    (x, y, h) => 30.2 + 15.6 * x + 0.4 * y - 0.0002 * h,
                  ),
                  geometry('lookAngle', 'degrees', 'Look angle', (x, y, h) => 27.1 + 13.9 * x + 0.3 * y + 0.0001 * h),
                  geometry('azimuthAngle', 'degrees', 'Azimuth angle', (x, y) => -101.5 + 1.2 * x - 0.8 * y),
                ],
              },
              corrections: {
                groups: {
                  derived: {
                    groups: {
                      ionosphere: {
                        dimensions: { latitude: iono.rows, longitude: iono.cols },
                        variables: [
                          crsVariable('crs', EPSG_4326_WKT),
                          axis(
                            'latitude',
                            linspace(SAMPLE_ORIGIN.latitude, -SAMPLE_PIXEL_DEG * IONO_DECIMATION, iono.rows),
                            'degrees_north',
                            'latitude',
                            'Lat',
                          ),
                          axis(
                            'longitude',
                            linspace(SAMPLE_ORIGIN.longitude, SAMPLE_PIXEL_DEG * IONO_DECIMATION, iono.cols),
                            'degrees_east',
                            'longitude',
                            'Lon',
                          ),
                          layer(
                            'ionosphere',
                            iono.values,
                            ['latitude', 'longitude'],
                            Number.NaN,
                            'rad',
                            'Estimated ionosphere phase correction',
                            [iono.rows, iono.cols],
                          ),
                        ],
                      },
                    },
                  },
                },
              },
            },
          },
          radarMetaData: {
            dimensions: { matchup: 1 },
            variables: [
              { name: 'missionID', dtype: 'string', dimensions: ['matchup'], data: ['Sentinel-1'] },
              {
                name: 'wavelength',
                dtype: 'f4',
                data: SENTINEL1_WAVELENGTH_M,
                attributes: { description: 'Radar wavelength', units: 'meter' },
              },
              {
                name: 'centerFrequency',
                dtype: 'f4',
                data: 299792458 / SENTINEL1_WAVELENGTH_M,
                attributes: { description: 'Radar center frequency', units: 'Hertz' },
              },
              { name: 'ISCEversion', dtype: 'string', dimensions: ['matchup'], data: ['2.6.3'] },
              { name: 'slantRangeSpacing', dtype: 'f4', data: 2.329562, attributes: { units: 'meter' } },
            ],
            groups: {
              inputSLC: {
                groups: {
                  reference: {
                    dimensions: { granules: meta.referenceGranules.length },
                    variables: [
                      {
                        name: 'L1InputGranules',
                        dtype: 'string',
                        dimensions: ['granules'],
                        data: meta.referenceGranules,
                      },
                    ],
                  },
                  secondary: {
                    dimensions: { granules: meta.secondaryGranules.length },
                    variables: [
                      {
                        name: 'L1InputGranules',
                        dtype: 'string',
                        dimensions: ['granules'],
                        data: meta.secondaryGranules,
                      },
                    ],
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
