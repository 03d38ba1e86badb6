import { ValidationError, UsageError } from '../errors.js';
import { searchSlcScenes, type CmrOptions } from '../io/cmr.js';
import { loadFrameTable, type FrameSource } from '../io/frames.js';
import type { Frame } from '../product/frames.js';
import type { GunwSlcParameters } from '../product/parameters.js';
import { landPolygons } from '../io/land-polygons.js';
import { waterPercent, waterWarning } from '../product/water-fraction.js';
import { checkSceneMetadata, checkSceneNames } from './checks.js';
import { buildPlan, type Endpoints, type ProcessingPlan, type SuppliedFiles } from './plan.js';

/**
 * The gunw_slc job up to its plan: every check that can fail is made here, before anything is downloaded —
 * scene names and dates, the frame, the scenes' metadata (directions, tracks, overlap) — and the plan says what
 * the run will do.
 */

export interface PlanSources {
  readonly frames: { readonly footprints: FrameSource; readonly aligned?: FrameSource };
  /** Where downloaded frame tables are kept. */
  readonly cacheDir: string;
  readonly cmr?: CmrOptions;
  readonly endpoints?: Endpoints;
  readonly supplied?: SuppliedFiles;
  readonly fetch?: typeof fetch;
  /** Natural Earth land polygons (default: the bundled copy). */
  readonly landPolygons?: string;
}

export interface PlannedJob {
  readonly plan: ProcessingPlan;
  /** Percentage of the interferogram that is not land (Natural Earth 10 m), as the plugin computes it. */
  readonly waterPercent: number;
  /** What the user should know before the run starts (the plugin's warnings). */
  readonly warnings: readonly string[];
}

async function frameFor(id: number, sources: PlanSources): Promise<Frame> {
  const table = await loadFrameTable(sources.frames, sources.cacheDir, sources.fetch);
  const frame = table.find(id);
  if (!frame) {
    const [low, high] = table.idRange();
    throw new UsageError(
      `--frame-id ${id} is not an ARIA frame (ids run from ${low} to ${high}); find the frame of your scenes with s1-frame-enumerator, or use --frame-id -1`,
    );
  }
  return frame;
}

export async function planGunwSlc(
  parameters: GunwSlcParameters,
  commandLine: string,
  sources: PlanSources,
): Promise<PlannedJob> {
  const nameProblems = checkSceneNames(parameters.reference_scenes, parameters.secondary_scenes);
  if (nameProblems.length > 0) throw new ValidationError('invalid scenes', nameProblems);
  const frame = parameters.frame_id === -1 ? null : await frameFor(parameters.frame_id, sources);
  const found = await searchSlcScenes([...parameters.reference_scenes, ...parameters.secondary_scenes], {
    fetch: sources.fetch,
    ...sources.cmr,
  });
  const reference = found.filter((p) => parameters.reference_scenes.includes(p.properties.sceneName));
  const secondary = found.filter((p) => parameters.secondary_scenes.includes(p.properties.sceneName));
  const { problems, geometry } = checkSceneMetadata(
    { reference: parameters.reference_scenes, secondary: parameters.secondary_scenes },
    { reference, secondary },
    frame,
    parameters.min_frame_coverage,
  );
  if (problems.length > 0 || !geometry) throw new ValidationError('invalid scenes', problems);
  const plan = buildPlan({
    parameters,
    reference,
    secondary,
    frame,
    geometry,
    commandLine,
    endpoints: sources.endpoints,
    supplied: sources.supplied,
  });
  const water = waterPercent(geometry.product, await landPolygons(sources.landPolygons));
  const warning = waterWarning(water);
  return { plan, waterPercent: water, warnings: warning ? [warning] : [] };
}
