import {
  isNumericDType,
  joinPath,
  parentPath,
  findVariable,
  bytesPerElement,
  type NcVariable,
} from '../netcdf/model.js';
import type { ProductReader, SourceDescriptor } from '../netcdf/reader.js';
import { isPortable } from '../netcdf/reader.js';
import { toFloat64 } from '../netcdf/typed-arrays.js';
import { CONNECTED_COMPONENTS_NAME } from '../product/gunw-layout.js';
import { diffAttributes } from './attributes.js';
import { COMPARATORS } from './comparators/index.js';
import type { Executor } from './executor/types.js';
import type { Task, TaskOutcome } from './tasks.js';
import { GridAligner, gridReports, type AxisAlignment } from './grids.js';
import {
  differenceStatistics,
  emptyTotals,
  mergeSums,
  mergeTotals,
  statisticsWithout,
  type MergedTotals,
} from './layer-stats.js';
import { planTasks, previewGrid, type PlannedLayer } from './plan.js';
import { emptyPreview, mergePreviewBlock, type DifferencePreview, type PreviewExtent } from './previews.js';
import { allowedPixels, type Profile, type ResolvedLayerRule } from './profile.js';
import { diffProvenance } from './provenance.js';
import type { DiffReport, LayerReport, RepresentationNote } from './report-schema.js';
import { REPORT_SCHEMA_VERSION } from './report-version.js';
import { diffStructure, type StructureDiff } from './structure.js';
import { diffTextVariables } from './text-variables.js';
import { collectFailures } from './verdict.js';
import { gridMappingPaths } from './representation.js';

export interface DiffOptions {
  readonly profile: Profile;
  readonly profileName: string;
  readonly strictPhase: boolean;
  readonly checkStorage: boolean;
  /** Build difference maps (costs a little per pixel; only needed when writing a report directory). */
  readonly previews: boolean;
  /**
   * Chooses how tasks run, given the work's size in bytes and whether the sources are in-memory: `portable` runs
   * tasks whose sources any thread can open, `local` the rest (in the thread that opened the products).
   */
  readonly executors: (work: { bytes: number; inMemory: boolean }) => {
    readonly portable: Executor;
    readonly local: Executor;
  };
  readonly tool: { readonly name: string; readonly version: string };
  readonly onProgress?: (done: number, total: number) => void;
  readonly now?: () => number;
}

export interface DiffResult {
  readonly report: DiffReport;
  /** Difference maps of layers that failed or show ambiguities, by layer path. */
  readonly previews: ReadonlyMap<string, DifferencePreview>;
}

interface LayerEntry {
  readonly reference: NcVariable;
  readonly candidate: NcVariable;
  readonly rule: ResolvedLayerRule;
  readonly axes: readonly AxisAlignment[];
  readonly planned: PlannedLayer | null;
  readonly skipReason: string | null;
}

function labelsFor(reader: ProductReader, variable: NcVariable): NcVariable | undefined {
  const labels = findVariable(reader.root, joinPath(parentPath(variable.path), CONNECTED_COMPONENTS_NAME));
  if (!labels || !isNumericDType(labels.dtype)) return undefined;
  return JSON.stringify(labels.shape) === JSON.stringify(variable.shape) ? labels : undefined;
}

/**
 * A latitude/longitude coordinate variable of a grid registered off the reference's: the candidate's values with
 * that shift taken out, so that they fail only for what the grid's own finding does not already say (spacing,
 * irregular steps).
 */
function registeredCoordinate(
  axes: readonly AxisAlignment[],
  variable: NcVariable,
  candidate: ProductReader,
): SourceDescriptor | null {
  const axis = axes[0];
  if (axes.length !== 1 || axis?.coordinate !== variable.path || axis.subPixelShift === 0) return null;
  const values = toFloat64(candidate.readNumeric(variable.path)).map((v) => v - axis.subPixelShift * axis.step);
  return {
    kind: 'inline',
    file: candidate.path,
    variable: variable.path,
    dtype: 'f8',
    shape: [values.length],
    bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

function planLayers(
  structure: StructureDiff,
  reference: ProductReader,
  candidate: ProductReader,
  options: DiffOptions,
  notes: RepresentationNote[],
): LayerEntry[] {
  const mappings = { a: gridMappingPaths(reference.root), b: gridMappingPaths(candidate.root) };
  const aligner = new GridAligner(
    reference.root,
    candidate.root,
    (side, path) => toFloat64((side === 'reference' ? reference : candidate).readNumeric(path)),
    {
      reference: reference.path,
      candidate: candidate.path,
    },
  );
  const entries: LayerEntry[] = [];
  for (const [va, vb] of structure.common) {
    if (!isNumericDType(va.dtype) || !isNumericDType(vb.dtype)) continue;
    if (mappings.a.has(va.path) && mappings.b.has(vb.path)) {
      // Its CRS is compared with the structure; the number it stores says nothing.
      const [x, y] = [reference.readNumeric(va.path)[0], candidate.readNumeric(vb.path)[0]];
      if (String(x) !== String(y))
        notes.push({
          equivalence: 'grid-mapping-value',
          path: va.path,
          name: null,
          reference: String(x),
          candidate: String(y),
        });
      continue;
    }
    const rule = options.profile.layerRule(va.path);
    const skip = (reason: string): void => {
      entries.push({ reference: va, candidate: vb, rule, axes: [], planned: null, skipReason: reason });
    };
    if (rule.ignore) {
      skip('ignored by the tolerance profile');
      continue;
    }
    if (va.shape.length !== vb.shape.length) {
      skip(`rank differs (${va.shape.length} vs ${vb.shape.length} dimensions)`);
      continue;
    }
    const axes = aligner.alignVariable(va, vb);
    const labels = COMPARATORS[rule.comparator].readsComponents ? labelsFor(reference, va) : undefined;
    // Job ids index the list of planned layers that is sent to the executors.
    const id = entries.filter((e) => e.planned).length;
    const planned: PlannedLayer = {
      dtype: va.dtype,
      axes,
      chunks: va.storage.chunks,
      job: {
        id,
        path: va.path,
        comparator: rule.comparator,
        abs: rule.abs,
        rel: rule.rel,
        reference: reference.sourceFor(va.path),
        candidate: registeredCoordinate(axes, va, candidate) ?? candidate.sourceFor(vb.path),
        referenceFill: va.fillValue,
        candidateFill: vb.fillValue,
        labels: labels ? { source: reference.sourceFor(labels.path), fill: labels.fillValue } : null,
        preview: options.previews ? previewGrid(axes) : null,
      },
    };
    entries.push({ reference: va, candidate: vb, rule, axes, planned, skipReason: null });
  }
  return entries;
}

function layerReport(entry: LayerEntry, totals: MergedTotals, options: DiffOptions): LayerReport {
  const { reference: va, rule } = entry;
  const stats = differenceStatistics(totals);
  const { ambiguities, relabelling, unreliableCycled } = COMPARATORS[rule.comparator].explain(totals);
  const explained = ambiguities.reduce((n, a) => n + a.pixels, 0) + (relabelling?.pixels ?? 0);
  const exceeding = Math.max(0, totals.exceeding - explained);
  const maxExceeding = allowedPixels(rule.maxExceeding, totals.compared);
  const maxNanMismatch = allowedPixels(rule.maxNanMismatch, totals.compared + totals.nanMismatch);
  const reasons: string[] = [];
  if (entry.skipReason) reasons.push(entry.skipReason);
  if (exceeding > maxExceeding) {
    const limit = rule.rel ? `${rule.abs} + ${rule.rel}·|ref|` : `${rule.abs}`;
    reasons.push(
      `${exceeding} pixels differ by more than ${limit}${rule.units ? ` ${rule.units}` : ''} (max |Δ| ${stats.maxAbsDiff.toPrecision(4)})${unreliableCycled > 0 ? `, ${unreliableCycled} of them in connected component 0 (not unwrapped), off by whole 2π cycles` : ''}`,
    );
  }
  if (totals.nanMismatch > maxNanMismatch)
    reasons.push(`${totals.nanMismatch} pixels are valid in one product and NaN/fill in the other`);
  if (options.strictPhase && ambiguities.length > 0) {
    reasons.push(
      `2π ambiguity in ${ambiguities.length} connected component(s), ${ambiguities.reduce((n, a) => n + a.pixels, 0)} pixels (--strict-phase)`,
    );
  }
  const skippedByProfile = entry.skipReason !== null && rule.ignore;
  return {
    path: va.path,
    dtype: va.dtype,
    shape: [...va.shape],
    comparedShape: entry.axes.map((a) => a.count),
    comparator: rule.comparator,
    units: rule.units,
    tolerance: { abs: rule.abs, rel: rule.rel, maxExceeding, maxNanMismatch },
    validReference: totals.validReference,
    validCandidate: totals.validCandidate,
    compared: totals.compared,
    nanMismatch: totals.nanMismatch,
    ...stats,
    exceeding,
    ambiguities,
    withoutAmbiguities:
      ambiguities.length > 0
        ? statisticsWithout(
            totals,
            ambiguities.map((a) => a.component),
          )
        : null,
    relabelling,
    verdict: skippedByProfile ? 'skipped' : reasons.length > 0 ? 'fail' : 'pass',
    reasons,
    diffMap: null,
  };
}

/**
 * Compare two GUNW products: structure, attributes, provenance, text variables and every numeric variable's
 * values. Pure orchestration over the two readers; where and how regions are compared is the executor's job.
 */
/** The geographic corners of a layer's compared region, from its reference coordinate variables (null off-grid). */
function previewExtent(axes: readonly AxisAlignment[], reference: ProductReader): PreviewExtent | null {
  const [rows, cols] = [axes[axes.length - 2], axes[axes.length - 1]];
  if (
    !rows?.coordinate ||
    !cols?.coordinate ||
    rows.kind !== 'latitude' ||
    cols.kind !== 'longitude' ||
    rows.count === 0 ||
    cols.count === 0
  )
    return null;
  try {
    const lat = reference.readNumeric(rows.coordinate);
    const lon = reference.readNumeric(cols.coordinate);
    const at = (values: ArrayLike<number | bigint>, i: number): number => Number(values[i]);
    return {
      firstLat: at(lat, rows.referenceStart),
      lastLat: at(lat, rows.referenceStart + rows.count - 1),
      firstLon: at(lon, cols.referenceStart),
      lastLon: at(lon, cols.referenceStart + cols.count - 1),
    };
  } catch {
    return null;
  }
}

export async function diffProducts(
  reference: ProductReader,
  candidate: ProductReader,
  options: DiffOptions,
): Promise<DiffResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const structure = diffStructure(reference.root, candidate.root);
  const gridMappingNotes: RepresentationNote[] = [];
  const entries = planLayers(structure, reference, candidate, options, gridMappingNotes);

  const planned = entries.flatMap((e) => (e.planned ? [e.planned] : []));
  const tasks = planTasks(planned);
  const totalPixels = tasks.reduce((n, t) => n + t.pixels, 0);
  const bytes = planned.reduce((n, p) => n + p.axes.reduce((v, a) => v * a.count, bytesPerElement(p.dtype) * 2), 0);
  const inMemory = planned.some((p) => p.job.reference.kind === 'memory' || p.job.candidate.kind === 'memory');
  const previewMaps = new Map<number, DifferencePreview>();
  let done = 0;
  const jobs = planned.map((p) => p.job);
  // Variables only h5wasm can read (compact storage, unusual layouts) stay in this thread, which has the files open.
  const portable = (task: Task): boolean =>
    task.jobs.every(
      ({ layer }) =>
        isPortable(jobs[layer]!.reference) &&
        isPortable(jobs[layer]!.candidate) &&
        (!jobs[layer]!.labels || isPortable(jobs[layer]!.labels.source)),
    );
  const plannedEntries = entries.filter((e) => e.planned);
  // Only the sums are kept: the outcome's preview blocks are merged into the maps below as they come.
  const sumsByTask: Pick<TaskOutcome, 'id' | 'sums'>[] = [];
  const onOutcome = (outcome: TaskOutcome): void => {
    sumsByTask.push({ id: outcome.id, sums: outcome.sums });
    for (const block of outcome.previews) {
      const entry = plannedEntries[block.layer]!;
      let map = previewMaps.get(entries.indexOf(entry));
      if (!map) {
        map = emptyPreview(
          entry.reference.path,
          entry.rule.units,
          entry.planned!.job.preview!,
          entry.rule.abs,
          previewExtent(entry.planned!.axes, reference),
        );
        previewMaps.set(entries.indexOf(entry), map);
      }
      mergePreviewBlock(map, block);
    }
    done += outcome.pixels;
    options.onProgress?.(done, totalPixels);
  };
  const executors = options.executors({ bytes, inMemory });
  const running = executors.portable.run(jobs, tasks.filter(portable), onOutcome);
  // Its failure is reported by the Promise.all below; this only keeps it from counting as unhandled meanwhile.
  running.catch(() => undefined);
  // While worker threads compare the layers, this thread compares attributes, provenance and text.
  const {
    differences: attributes,
    versions,
    notes: attributeNotes,
  } = diffAttributes(reference.root, candidate.root, options.profile, options.checkStorage);
  const textNotes: RepresentationNote[] = [];
  const textVariables = diffTextVariables(structure.common, reference, candidate, options.profile, versions, textNotes);
  const provenance = diffProvenance(reference.root, candidate.root, options.profile, versions);
  const parts = (
    await Promise.all([
      running,
      executors.local.run(
        jobs,
        tasks.filter((t) => !portable(t)),
        onOutcome,
      ),
    ])
  ).flat();
  const totals = entries.map(() => emptyTotals());
  for (const part of parts) mergeTotals(totals[entries.indexOf(plannedEntries[part.layer]!)]!, part);
  // Float sums in task order, whichever thread compared which task (see JobSums).
  sumsByTask.sort((x, y) => x.id - y.id);
  for (const outcome of sumsByTask)
    for (const sums of outcome.sums) mergeSums(totals[entries.indexOf(plannedEntries[sums.layer]!)]!, sums);

  const layers = entries.map((entry, i) => layerReport(entry, totals[i]!, options));
  const previews = new Map<string, DifferencePreview>();
  layers.forEach((layer, i) => {
    const map = previewMaps.get(i);
    if (map && (layer.verdict === 'fail' || layer.ambiguities.length > 0))
      previews.set(layer.path, {
        ...map,
        explainedComponents: layer.ambiguities.map(({ component, k }) => ({ component, k })),
        strictPhase: options.strictPhase,
      });
  });
  const grids = gridReports(
    entries.flatMap((e) =>
      e.axes.length >= 2 && e.axes.at(-2)!.kind === 'latitude' && e.axes.at(-1)!.kind === 'longitude'
        ? [[e.axes.at(-2)!, e.axes.at(-1)!] as [AxisAlignment, AxisAlignment]]
        : [],
    ),
    (latitude) => options.profile.gridShift(latitude),
  );
  const report: DiffReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { ...options.tool },
    reference: reference.path,
    candidate: candidate.path,
    options: { profile: options.profileName, strictPhase: options.strictPhase, checkStorage: options.checkStorage },
    verdict: 'pass',
    failures: [],
    structure: {
      onlyInReference: structure.onlyInReference,
      onlyInCandidate: structure.onlyInCandidate,
      changed: structure.changed.filter((c) => options.checkStorage || !c.storage),
    },
    grids,
    layers,
    textVariables,
    attributes,
    representation: [...structure.notes, ...gridMappingNotes, ...textNotes, ...attributeNotes],
    provenance,
    elapsedSeconds: 0,
  };
  const failures = collectFailures(report);
  return {
    report: {
      ...report,
      failures,
      verdict: failures.length > 0 ? 'fail' : 'pass',
      elapsedSeconds: (now() - started) / 1000,
    },
    previews,
  };
}
