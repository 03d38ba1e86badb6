import type { AttributeSpec, GroupSpec, SlabSource } from '../netcdf/spec.js';
import type { NumericArray } from '../netcdf/model.js';
import type { GunwSlcParameters } from '../product/parameters.js';
import type { GeometryCube } from './geocube.js';
import { EPSG_4326_WKT } from './wkt.js';
import {
  axis,
  DEFLATE_LEVEL,
  TILE,
  crsVariable,
  cubeVariable,
  layer,
  pyprojCrs,
  scalar,
  SPATIAL_REF,
  text,
  type LayerDescription,
} from './cf-variables.js';
import { slcFile } from '../product/scenes.js';

/**
 * The GUNW product (layout v3, as the plugin's `packaging.py` writes it; docs/packaging.md) as a GroupSpec for the netCDF writer.
 * Every numeric array is chunked for reading by tiles and stored with shuffle + deflate 4; text is never
 * compressed. Where the original's layout had defects this builder fixes them; docs/packaging.md lists each.
 */

const PLACEHOLDER_2D = 'placeholder dummy: [2D]';
const PLACEHOLDER_3D = 'placeholder dummy: [3D]';

export const GLOBAL_TEXT = {
  product_type: 'UNW GEO IFG',
  Conventions: 'CF-1.6',
  title: 'ARIA standard product UNW GEO IFG',
  author:
    'David Bekaert, Grace Bato, Marin Govorcin, Andrew Johnston, Joe Kennedy, Charlie Marshak, Simran Sangha and ARIA-JPL',
  institution: 'Jet Propulsion Laboratory',
  references: 'https://aria.jpl.nasa.gov/',
} as const;

type SceneName = { readonly sceneName: string };

export interface ProductJob {
  readonly parameters: GunwSlcParameters;
  /** The redacted provenance command line. */
  readonly commandLine: string;
  readonly frameId: number;
  /** The input scenes (only their names reach the product). */
  readonly scenes: { readonly reference: readonly SceneName[]; readonly secondary: readonly SceneName[] };
  readonly softwareVersion: string;
  /** What the DEM was, for radarMetaData/DEM. */
  readonly demDescription: string;
}

export interface RadarMetadata {
  readonly wavelength: number;
  readonly isceVersion: string;
  readonly esdThreshold: number;
  readonly zeroDopplerStart: string;
  readonly zeroDopplerEnd: string;
  readonly azimuthTimeInterval: number;
  readonly slantRangeSpacing: number;
  readonly slantRangeStart: number;
  readonly slantRangeEnd: number;
  readonly orbitType: { readonly reference: string; readonly secondary: string };
}

export interface DataGrid {
  readonly lons: Float64Array;
  readonly lats: Float64Array;
  /** The required layers and the optional ones the job asks for, each a slab source on the grid. */
  readonly layers: readonly {
    readonly name: string;
    readonly source: SlabSource | NumericArray;
    readonly spec: LayerDescription;
  }[];
}

export interface ProductContent {
  readonly job: ProductJob;
  readonly grid: DataGrid;
  readonly cube: GeometryCube;
  readonly radar: RadarMetadata;
  readonly boundingBoxWkt: string;
  readonly productGeometryWkt: string;
  /** The internal product-format version attribute. */
  readonly formatVersion: string;
  readonly meanBaselines: { readonly parallel: number | null; readonly perpendicular: number | null };
  readonly ionosphere: {
    readonly lons: Float64Array;
    readonly lats: Float64Array;
    readonly values: Float32Array;
    readonly attributes: Readonly<Record<string, AttributeSpec>>;
  } | null;
  readonly ionosphereBurstRamps: { readonly source: SlabSource; readonly processingSteps: readonly string[] } | null;
  /** Solid Earth tide phase of each date on the cube grid, when the job computes it. */
  readonly solidEarthTide: { readonly reference: Float32Array; readonly secondary: Float32Array } | null;
}

function tideGroup(values: Float32Array, cube: GeometryCube): GroupSpec {
  return {
    dimensions: { height: cube.heights.length, latitude: cube.lats.length, longitude: cube.lons.length },
    variables: [
      { name: 'spatial_ref', dtype: 'i8', data: 0, attributes: SPATIAL_REF },
      // Copied by the plugin from the *Meta axes through xarray, which adds a NaN _FillValue.
      { ...axis('longitude', cube.lons, 'lon'), fillValue: Number.NaN },
      { ...axis('latitude', cube.lats, 'lat'), fillValue: Number.NaN },
      { ...axis('height', cube.heights, 'height'), fillValue: Number.NaN },
      {
        name: 'solidEarthTide',
        dtype: 'f4',
        dimensions: ['height', 'latitude', 'longitude'],
        data: values,
        fillValue: 0,
        // Contiguous and uncompressed, as xarray's to_netcdf left the plugin's.
        attributes: {
          description: 'Solid Earth tide',
          units: 'radians',
          grid_mapping: 'spatial_ref',
          long_name: 'solidEarthTide',
          standard_name: 'solidEarthTide',
        },
      },
    ],
  };
}

/**
 * The `/science/grids` parameter attributes: one per job parameter (booleans as "True"/"False", visible to netCDF-C).
 */
function parameterAttributes(p: GunwSlcParameters): Record<string, AttributeSpec> {
  const bool = (v: boolean): string => (v ? 'True' : 'False');
  return {
    reference_scenes: { dtype: 'string', value: p.reference_scenes },
    secondary_scenes: { dtype: 'string', value: p.secondary_scenes },
    frame_id: { dtype: 'i8', value: p.frame_id },
    estimate_ionosphere_delay: bool(p.estimate_ionosphere_delay),
    compute_solid_earth_tide: bool(p.compute_solid_earth_tide),
    output_resolution: { dtype: 'i8', value: p.output_resolution },
    unfiltered_coherence: bool(p.unfiltered_coherence),
    goldstein_filter_power: { dtype: 'f8', value: p.goldstein_filter_power },
    dense_offsets: bool(p.dense_offsets),
    esd_coherence_threshold: { dtype: 'f8', value: p.esd_coherence_threshold },
    wrapped_phase_layer: bool(p.wrapped_phase_layer),
  };
}

export function gunwProductSpec(content: ProductContent): GroupSpec {
  const { job, grid, cube, radar } = content;
  const matchup = Math.max(1, job.scenes.reference.length, job.scenes.secondary.length);
  const shape: [number, number] = [grid.lats.length, grid.lons.length];
  const granules = (scenes: readonly SceneName[]): string[] => scenes.map(slcFile);

  const ionosphereGroup: GroupSpec = content.ionosphere
    ? {
        dimensions: { latitude: content.ionosphere.lats.length, longitude: content.ionosphere.lons.length },
        variables: [
          pyprojCrs('crs'),
          axis('longitude', content.ionosphere.lons, 'lon'),
          axis('latitude', content.ionosphere.lats, 'lat'),
          {
            name: 'ionosphere',
            dtype: 'f4',
            dimensions: ['latitude', 'longitude'],
            data: content.ionosphere.values,
            fillValue: Number.NaN,
            chunks: [Math.min(TILE, content.ionosphere.lats.length), Math.min(TILE, content.ionosphere.lons.length)],
            deflate: DEFLATE_LEVEL,
            shuffle: true,
            attributes: {
              description: 'Estimated ionosphere phase correction',
              units: 'rad',
              grid_mapping: 'crs',
              long_name: 'ionospherePhaseCorrection',
              standard_name: 'ionospherePhaseCorrection',
              ...content.ionosphere.attributes,
            },
          },
        ],
      }
    : { variables: [text('ionosphere', [PLACEHOLDER_2D], matchup)] };

  const derived: Record<string, GroupSpec> = { ionosphere: ionosphereGroup };
  if (content.ionosphereBurstRamps) {
    derived.ionosphereBurstRamps = {
      dimensions: { latitude: shape[0], longitude: shape[1] },
      variables: [
        pyprojCrs('crs'),
        axis('longitude', grid.lons, 'lon'),
        axis('latitude', grid.lats, 'lat'),
        layer(
          'ionosphereBurstRamps',
          content.ionosphereBurstRamps.source,
          {
            description: 'Estimated burst ramps correction due to ionosphere',
            fill: Number.NaN,
            extra: { processing_steps: content.ionosphereBurstRamps.processingSteps },
          },
          ['latitude', 'longitude'],
          'crs',
          shape,
        ),
      ],
    };
  }

  return {
    attributes: {
      ...GLOBAL_TEXT,
      version: { dtype: 'string', value: content.formatVersion },
      source: `Contains modified Copernicus Sentinel data processed by ESA and ARIA NASA/JPL using the DockerizedTopsApp HyP3 plugin version ${job.softwareVersion}`,
      ogr_geometry_field: 'productBoundingBox',
      ogr_layer_name: 'productBoundingBox',
      ogr_layer_type: 'POLYGON',
      aria_frame_id: { dtype: 'i8', value: job.frameId },
      topsapp_command_line_string: { dtype: 'string', value: job.commandLine },
      isce2_topsapp_version: { dtype: 'string', value: job.softwareVersion },
      ...(content.meanBaselines.parallel !== null
        ? { mean_parallel_baseline: { dtype: 'f8' as const, value: content.meanBaselines.parallel } }
        : {}),
      ...(content.meanBaselines.perpendicular !== null
        ? { mean_perpendicular_baseline: { dtype: 'f8' as const, value: content.meanBaselines.perpendicular } }
        : {}),
      product_geometry_wkt: { dtype: 'string', value: content.productGeometryWkt },
    },
    dimensions: { matchup, wkt_length: content.boundingBoxWkt.length, wkt_count: 1 },
    // UNLIMITED, as netCDF4-python created the plugin's.
    unlimited: ['matchup'],
    variables: [
      {
        name: 'productBoundingBox',
        dtype: 'char',
        dimensions: ['wkt_count', 'wkt_length'],
        data: [content.boundingBoxWkt],
        attributes: {
          description: 'Product bounding box defined as ISO WKT polygon',
          units: 'unitless',
          grid_mapping: 'crs_polygon',
          long_name: 'productBoundingBox',
          standard_name: 'productBoundingBox',
        },
      },
      {
        name: 'crs_polygon',
        dtype: 'i4',
        data: 4326,
        attributes: { spatial_ref: EPSG_4326_WKT, long_name: 'crs_polygon', standard_name: 'crs_polygon' },
      },
    ],
    groups: {
      science: {
        groups: {
          grids: {
            attributes: parameterAttributes(job.parameters),
            groups: {
              data: {
                dimensions: { latitude: shape[0], longitude: shape[1] },
                variables: [
                  crsVariable('crs', EPSG_4326_WKT),
                  axis('longitude', grid.lons, 'lon'),
                  axis('latitude', grid.lats, 'lat'),
                  ...grid.layers.map((l) => layer(l.name, l.source, l.spec, ['latitude', 'longitude'], 'crs', shape)),
                ],
              },
              imagingGeometry: {
                dimensions: {
                  heightsMeta: cube.heights.length,
                  latitudeMeta: cube.lats.length,
                  longitudeMeta: cube.lons.length,
                },
                variables: [
                  crsVariable('crsMeta', EPSG_4326_WKT),
                  axis('longitudeMeta', cube.lons, 'lon', 'longitude'),
                  axis('latitudeMeta', cube.lats, 'lat', 'latitude'),
                  axis('heightsMeta', cube.heights, 'height'),
                  cubeVariable(
                    'perpendicularBaseline',
                    cube.perpendicularBaseline,
                    cube,
                    'Perpendicular baseline',
                    'meter',
                  ),
                  cubeVariable('parallelBaseline', cube.parallelBaseline, cube, 'Parallel baseline', 'meter'),
                  cubeVariable('incidenceAngle', cube.incidenceAngle, cube, 'Incidence angle', 'degrees'),
                  cubeVariable('lookAngle', cube.lookAngle, cube, 'Look angle', 'degrees'),
                  cubeVariable('azimuthAngle', cube.azimuthAngle, cube, 'Azimuth angle', 'degrees'),
                ],
              },
              corrections: {
                groups: {
                  derived: { groups: derived },
                  external: {
                    groups: {
                      troposphere: {
                        variables: [
                          text('troposphereHydrostatic', [PLACEHOLDER_3D], matchup),
                          text('troposphereWet', [PLACEHOLDER_3D], matchup),
                        ],
                      },
                      tides: content.solidEarthTide
                        ? {
                            groups: {
                              solidEarth: {
                                groups: {
                                  reference: tideGroup(content.solidEarthTide.reference, cube),
                                  secondary: tideGroup(content.solidEarthTide.secondary, cube),
                                },
                              },
                            },
                          }
                        : { variables: [text('solidEarthTide', [PLACEHOLDER_2D], matchup)] },
                    },
                  },
                },
              },
            },
          },
          radarMetaData: {
            variables: [
              text('missionID', ['Sentinel-1'], matchup),
              scalar('wavelength', radar.wavelength, { description: 'Radar wavelength', units: 'meter' }),
              scalar('centerFrequency', 299792458 / radar.wavelength, {
                description: 'Radar center frequency',
                units: 'Hertz',
              }),
              text('productType', ['UNW GEO IFG'], matchup),
              text('ISCEversion', [radar.isceVersion], matchup, { description: 'ISCE Version', units: 'unitless' }),
              text('unwrapMethod', ['snaphu'], matchup, { description: 'Method used to unwrap IFG product' }),
              text('DEM', [job.demDescription], matchup, { description: 'Dem Type', units: 'unitless' }),
              scalar('ESDthreshold', radar.esdThreshold, {
                description: 'ESD threshold, -1 = no ESD applied',
                units: 'unitless',
              }),
              text('azimuthZeroDopplerStartTime', [radar.zeroDopplerStart], matchup, {
                description: 'Zero Doppler azimuth start time',
                units: 'Time ISO 8601 format',
              }),
              text('azimuthZeroDopplerEndTime', [radar.zeroDopplerEnd], matchup, {
                description: 'Zero Doppler azimuth end time',
                units: 'Time ISO 8601 format',
              }),
              scalar('azimuthTimeInterval', radar.azimuthTimeInterval, {
                description: 'Azimuth time interval',
                units: 'seconds',
              }),
              scalar('slantRangeSpacing', radar.slantRangeSpacing, {
                description: 'Slant range pixel spacing',
                units: 'meter',
              }),
              scalar('slantRangeEnd', radar.slantRangeEnd, { description: 'Slant range end', units: 'meter' }),
              scalar('slantRangeStart', radar.slantRangeStart, { description: 'Slant range start', units: 'meter' }),
            ],
            groups: {
              inputSLC: {
                groups: {
                  reference: {
                    variables: [
                      text('L1InputGranules', granules(job.scenes.reference), matchup, {
                        description: 'Reference input granules',
                      }),
                      text('orbitType', [radar.orbitType.reference], matchup, { description: 'Reference orbit type' }),
                    ],
                  },
                  secondary: {
                    variables: [
                      text('L1InputGranules', granules(job.scenes.secondary), matchup, {
                        description: 'Secondary input granules',
                      }),
                      text('orbitType', [radar.orbitType.secondary], matchup, { description: 'Secondary orbit type' }),
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
