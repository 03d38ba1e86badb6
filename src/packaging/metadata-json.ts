import { roundHalfEven } from '../product/gunw-id.js';
import { MISSIONS } from '../product/missions.js';
import { parseSceneName } from '../product/scenes.js';
import type { Bounds } from '../product/geometry.js';
import type { SceneProperties } from '../io/cmr.js';

/**
 * The delivery metadata JSON (`<ID>.json`) that the ASF/ARIA ingest reads (the plugin's
 * `isce2_topsapp/templates/daac_ingest_schema.json`), built from the scenes' ASF properties, the product geometry and the baselines.
 */

export interface MetadataInput {
  readonly productId: string;
  readonly datasetVersion: string;
  readonly geometry: { readonly type: string; readonly coordinates: unknown };
  readonly extent: Bounds;
  readonly frameId: number;
  readonly scenes: { readonly reference: readonly SceneProperties[]; readonly secondary: readonly SceneProperties[] };
  readonly referenceNames: readonly string[];
  readonly secondaryNames: readonly string[];
  /** Mean perpendicular baseline (metres) at the cube's lowest level, over valid cells. */
  readonly perpendicularBaseline: number;
  readonly now: Date;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds, as the ingest schema requires). */
export function microsecondTime(date: Date | string): string {
  const d = typeof date === 'string' ? new Date(date.endsWith('Z') ? date : `${date}Z`) : date;
  return `${d.toISOString().slice(0, 19)}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')}Z`;
}

const byStart = (scenes: readonly SceneProperties[]): SceneProperties[] =>
  [...scenes].sort((a, b) => (a.startTime < b.startTime ? -1 : a.startTime > b.startTime ? 1 : 0));

/** The processed polarisation: topsApp uses the co-polarised channel. */
function polarisation(scene: SceneProperties): string {
  return scene.polarization.startsWith('HH') ? 'HH' : 'VV';
}

/** The satellite, from the checked scene name (the server's ASF_PLATFORM only where the name says nothing). */
function platformOf(scene: SceneProperties): string {
  const mission = parseSceneName(scene.sceneName)?.mission;
  return mission ? MISSIONS[mission].name : scene.platform;
}

export function metadataJson(input: MetadataInput): Record<string, unknown> {
  const reference = byStart(input.scenes.reference);
  const secondary = byStart(input.scenes.secondary);
  const refFirst = reference[0]!;
  const secFirst = secondary[0]!;
  const [xmin, ymin, xmax, ymax] = input.extent;
  const days = (Date.parse(refFirst.startTime) - Date.parse(secFirst.startTime)) / 86_400_000;
  return {
    label: input.productId,
    location: input.geometry,
    creation_timestamp: microsecondTime(input.now),
    version: input.datasetVersion,
    metadata: {
      ogr_bbox: [
        [xmin, ymin],
        [xmax, ymin],
        [xmax, ymax],
        [xmin, ymax],
      ],
      reference_scenes: input.referenceNames,
      secondary_scenes: input.secondaryNames,
      sensing_start: microsecondTime(refFirst.startTime),
      sensing_stop: microsecondTime(reference.at(-1)!.stopTime),
      version: input.datasetVersion,
      temporal_baseline_days: roundHalfEven(days),
      orbit_number: [refFirst.orbit, secFirst.orbit],
      platform: [platformOf(refFirst), platformOf(secFirst)],
      beam_mode: refFirst.beamModeType,
      orbit_direction: refFirst.flightDirection.toLowerCase(),
      dataset_type: 'slc',
      product_type: 'interferogram',
      polarization: polarisation(refFirst),
      look_direction: 'right',
      track_number: Number(refFirst.pathNumber),
      perpendicular_baseline: Math.round(input.perpendicularBaseline * 1e4) / 1e4,
      ...(input.frameId !== -1 ? { frame_number: input.frameId } : {}),
    },
  };
}
