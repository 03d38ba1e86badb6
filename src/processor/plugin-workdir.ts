import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, normalize } from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { AsfProduct } from '../io/cmr.js';
import type { Frame } from '../product/frames.js';
import type { MultiPolygon, Polygon } from '../product/geometry.js';
import { gunwSlcParameters } from '../product/parameters.js';
import { buildPlan, type ProcessingPlan } from './plan.js';
import { ISCE2_ION_DEFAULTS, ionosphereRecord, type IonosphereRecord } from '../product/ionosphere-record.js';

/**
 * A topsApp work directory made by the Python plugin has no plan.json; it has what the plugin stored instead:
 * `topsapp_input_params.json` (the job's parameters, the model dump) and `loc_data.json` (the scenes' ASF
 * properties, the product geometry `gunw_geo`, the processing extent and the command line). Both are read as
 * untrusted JSON and turned into the plan the same job would have had here, so `package` gives the same product.
 */

export const PLUGIN_PARAMETERS_FILE = 'topsapp_input_params.json';
export const PLUGIN_LOCALIZATION_FILE = 'loc_data.json';

const position = z.tuple([z.number().finite(), z.number().finite()]).rest(z.number().finite());
const ring = z.array(position).min(4);
const geoJsonPolygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) });

const sceneProperties = z
  .object({
    sceneName: z
      .string()
      .regex(
        /^S1[A-D]_IW_SLC__1S[SD][VH]_\d{8}T\d{6}_\d{8}T\d{6}_\d{6}_[0-9A-F]{6}_[0-9A-F]{4}$/,
        'a Sentinel-1 IW SLC scene name',
      ),
    startTime: z.string().min(1),
    stopTime: z.string().min(1),
    flightDirection: z.string().min(1),
    pathNumber: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
    fileID: z.string().optional(),
    processingLevel: z.string().optional(),
    platform: z.string().optional(),
    beamModeType: z.string().optional(),
    polarization: z.string().optional(),
    orbit: z.union([z.number(), z.string()]).optional(),
    url: z.string().optional(),
    fileName: z.string().optional(),
    bytes: z.union([z.number(), z.string()]).nullable().optional(),
  })
  .passthrough();

const locData = z.object({
  frame_id: z.number().int(),
  gunw_geo: geoJsonPolygon,
  processing_extent: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  reference_properties: z.array(sceneProperties).min(1),
  secondary_properties: z.array(sceneProperties).min(1),
  cmd_line_str: z.string().optional(),
  water_mask: z.string().max(4096).nullable().optional(),
});

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
}

function productOf(p: z.infer<typeof sceneProperties>, footprint: Polygon): AsfProduct {
  const number = (v: number | string | null | undefined): number | null =>
    v === undefined || v === null || v === '' ? null : Number(v);
  return {
    properties: {
      sceneName: p.sceneName,
      startTime: p.startTime,
      stopTime: p.stopTime,
      flightDirection: p.flightDirection,
      pathNumber: p.pathNumber,
      fileID: p.fileID ?? `${p.sceneName}-SLC`,
      processingLevel: p.processingLevel ?? 'SLC',
      platform: p.platform ?? `Sentinel-1${p.sceneName[2]}`,
      beamModeType: p.beamModeType ?? 'IW',
      polarization: p.polarization ?? '',
      orbit: number(p.orbit) ?? 0,
      url: p.url ?? '',
      fileName: p.fileName ?? `${p.sceneName}.zip`,
      bytes: number(p.bytes),
    },
    // The plugin does not store the scenes' footprints; the product geometry stands in (used for nothing that
    // changes the product).
    geometry: footprint,
  };
}

const box = ([xmin, ymin, xmax, ymax]: readonly number[]): MultiPolygon => [
  [
    [
      [xmin!, ymin!],
      [xmax!, ymin!],
      [xmax!, ymax!],
      [xmin!, ymax!],
      [xmin!, ymin!],
    ],
  ],
];

/**
 * The plan of a plugin work directory from its two JSON files (parsed values), and what its ionosphere steps did, or
 * a ValidationError listing every problem.
 */
export function fromPluginFiles(
  isceDir: string,
  parametersJson: unknown,
  locDataJson: unknown,
  sources: { parameters: string; locData: string },
): { plan: ProcessingPlan; ionosphereRecord: IonosphereRecord } {
  const parameters = gunwSlcParameters.safeParse(parametersJson);
  if (!parameters.success) throw new ValidationError(sources.parameters, problemsOf(parameters.error));
  const loc = locData.safeParse(locDataJson);
  if (!loc.success) throw new ValidationError(sources.locData, problemsOf(loc.error));
  const product: MultiPolygon = [loc.data.gunw_geo.coordinates as Polygon];
  const processing = box(loc.data.processing_extent);
  const frame: Frame | null =
    parameters.data.frame_id === -1
      ? null
      : { id: parameters.data.frame_id, footprint: product, processing, tracks: [], direction: null };
  const plan = buildPlan({
    parameters: parameters.data,
    reference: loc.data.reference_properties.map((p) => productOf(p, product[0]!)),
    secondary: loc.data.secondary_properties.map((p) => productOf(p, product[0]!)),
    frame,
    geometry: { product, processing },
    commandLine: loc.data.cmd_line_str ?? '',
  });
  return {
    plan: withPluginWaterMask(plan, loc.data.water_mask ?? null),
    ionosphereRecord: pluginIonosphereRecord(isceDir, loc.data),
  };
}

/**
 * The plugin names its water mask in loc_data.json (a file of the work directory; production wrote its name, some
 * versions the absolute path it had there): the packager's with-water-mask statistics use that mask. A name that
 * would lead outside the work directory is not followed.
 */
function withPluginWaterMask(plan: ProcessingPlan, mask: string | null): ProcessingPlan {
  if (!mask) return plan;
  const file = isAbsolute(mask) ? basename(mask) : normalize(mask);
  if (file.startsWith('..') || isAbsolute(file) || file.length === 0) return plan;
  return {
    ...plan,
    localize: { ...plan.localize, waterMask: { ...plan.localize.waterMask, file } },
  };
}

/**
 * What the plugin's ionosphere steps did in its work directory, which records none: always with its water mask
 * (`loc_data.json`'s `water_mask`, the path its attribute names), bridging and component-0 masking, ISCE2's default
 * looks and height; swath by swath when ISCE2 chose it (the plugin's `merged_IW<n>` directories are there); the
 * ramp removal ISCE2 applies to cross-mission pairs.
 */
function pluginIonosphereRecord(isceDir: string, loc: z.infer<typeof locData>): IonosphereRecord {
  const mission = (p: { sceneName: string }[]): string => p[0]!.sceneName.slice(0, 3);
  const swathDirectories = [1, 2, 3].some((n) => existsSync(join(isceDir, 'ion', 'lower', `merged_IW${n}`)));
  return ionosphereRecord(
    {
      ...ISCE2_ION_DEFAULTS,
      calIonWithMerged: !swathDirectories,
      rampRemovel: mission(loc.reference_properties) === mission(loc.secondary_properties) ? 0 : 1,
    },
    { waterMask: loc.water_mask ?? null, bridged: true, maskedComponentZero: Boolean(loc.water_mask) },
  );
}
