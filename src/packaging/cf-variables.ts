import type { AttributeSpec, SlabSource, VariableSpec } from '../netcdf/spec.js';
import type { NumericArray } from '../netcdf/model.js';
import type { GeometryCube } from './geocube.js';
import { EPSG_4326_WKT } from './wkt.js';

/**
 * The CF variables a GUNW is made of (axes, grid mappings, 2-D layers, text on `matchup`, radar scalars, geometry
 * cube layers), each as the plugin's packaging writes it: chunked by tiles, shuffle + deflate 4 for numbers, text
 * never compressed. product-spec.ts assembles the product from them.
 */

export const DEFLATE_LEVEL = 4;
export const TILE = 256;

/** What a data layer says about itself: its description, units and fill (product/layer-catalogue.ts). */
export interface LayerDescription {
  readonly description: string;
  readonly units?: string;
  readonly fill: number;
  readonly extra?: Readonly<Record<string, string | readonly string[] | number | readonly number[]>>;
}

/**
 * pyproj's CF description of EPSG:4326, as rioxarray writes it to `spatial_ref` (what the original SET layers carry).
 */
export const SPATIAL_REF: Record<string, AttributeSpec> = {
  crs_wkt: EPSG_4326_WKT,
  semi_major_axis: 6378137,
  semi_minor_axis: 6356752.314245179,
  inverse_flattening: 298.257223563,
  reference_ellipsoid_name: 'WGS 84',
  longitude_of_prime_meridian: 0,
  prime_meridian_name: 'Greenwich',
  geographic_crs_name: 'WGS 84',
  grid_mapping_name: 'latitude_longitude',
  spatial_ref: EPSG_4326_WKT,
};

/**
 * The grid mapping rioxarray writes into a new group (the plugin's ionosphere groups): int64 with pyproj's attributes.
 */
export function pyprojCrs(name: string): VariableSpec {
  return { name, dtype: 'i8', data: 0, attributes: SPATIAL_REF };
}

/** A CF grid-mapping variable for WGS84 latitude/longitude, as GUNW groups carry them (`crs`, `crsMeta`). */
export function crsVariable(name: string, wkt: string): VariableSpec {
  return {
    name,
    dtype: 'i4',
    data: 0,
    attributes: {
      grid_mapping_name: 'latitude_longitude',
      longitude_of_prime_meridian: 0,
      semi_major_axis: 6378137,
      inverse_flattening: 298.257223563,
      long_name: name,
      standard_name: name,
      crs_wkt: wkt,
    },
  };
}

export function axis(
  name: string,
  values: Float64Array,
  kind: 'lon' | 'lat' | 'height',
  longName = kind === 'lon' ? 'longitude' : kind === 'lat' ? 'latitude' : 'height',
): VariableSpec {
  const attributes: Record<string, string> =
    kind === 'height'
      ? { _CoordinateAxisType: 'Lev', units: 'meter', long_name: longName, standard_name: longName, positive: 'up' }
      : {
          _CoordinateAxisType: kind === 'lon' ? 'Lon' : 'Lat',
          units: kind === 'lon' ? 'degrees_east' : 'degrees_north',
          long_name: longName,
          standard_name: longName,
        };
  return {
    name,
    dtype: 'f8',
    dimensions: [name],
    data: values,
    chunks: [values.length],
    deflate: DEFLATE_LEVEL,
    shuffle: true,
    attributes,
  };
}

export function layer(
  name: string,
  source: SlabSource | NumericArray,
  description: LayerDescription,
  dims: [string, string],
  grid: string,
  shape: [number, number],
): VariableSpec {
  return {
    name,
    dtype: 'f4',
    dimensions: dims,
    data: source,
    fillValue: description.fill,
    chunks: [Math.min(TILE, shape[0]), Math.min(TILE, shape[1])],
    deflate: DEFLATE_LEVEL,
    shuffle: true,
    attributes: {
      description: description.description,
      ...(description.units !== undefined ? { units: description.units } : {}),
      grid_mapping: grid,
      long_name: name,
      standard_name: name,
      ...description.extra,
    },
  };
}

/** A string variable on `matchup`: the value, then empty strings up to the dimension's size (as the original). */
export function text(
  name: string,
  values: readonly string[],
  matchup: number,
  attributes: Readonly<Record<string, string>> = {},
): VariableSpec {
  const padded = [...values, ...new Array<string>(Math.max(0, matchup - values.length)).fill('')];
  return {
    name,
    dtype: 'string',
    dimensions: ['matchup'],
    data: padded,
    attributes: { long_name: name, standard_name: name, ...attributes },
  };
}

/**
 * A radarMetaData number: float32 with no dimensions, fill or compression, as the plugin's template engine writes it.
 */
export function scalar(name: string, value: number, attributes: Readonly<Record<string, string>>): VariableSpec {
  return { name, dtype: 'f4', data: value, attributes: { ...attributes, long_name: name, standard_name: name } };
}

export function cubeVariable(
  name: string,
  values: Float32Array,
  cube: GeometryCube,
  description: string,
  units: string,
): VariableSpec {
  return {
    name,
    dtype: 'f4',
    dimensions: ['heightsMeta', 'latitudeMeta', 'longitudeMeta'],
    data: values,
    // The plugin declares 0 while unsolved cells hold -9999 (CUBE_NODATA); both kept, so products compare equal.
    fillValue: 0,
    chunks: [1, cube.lats.length, cube.lons.length],
    deflate: DEFLATE_LEVEL,
    shuffle: true,
    attributes: { description, units, grid_mapping: 'crsMeta', long_name: name, standard_name: name },
  };
}
