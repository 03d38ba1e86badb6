import { bytesPerElement, type NumericDType } from '../netcdf/model.js';
import { COMPARATORS } from './comparators/index.js';
import type { AxisAlignment } from './grids.js';
import type { LayerJob, PreviewGrid, Region, Task } from './tasks.js';

/**
 * Splitting layers into tasks (pure). Regions follow the reference's chunk grid so that every stored chunk is
 * inflated once, and are grown to about TARGET_REGION_ELEMENTS so that per-task overhead stays small while memory
 * stays bounded (a region of each side is in memory per worker at a time). The target counts elements, not bytes,
 * so layers of different types on the same chunk grid (a float32 phase and its int16 components) get the same
 * regions and share tasks.
 */

export const TARGET_REGION_ELEMENTS = 4 * 1024 * 1024;
/** Jobs smaller than this are packed together into one task. */
const SMALL_JOB_BYTES = 1024 * 1024;
/** Longest side of a difference map, in cells. */
export const PREVIEW_MAX_SIDE = 600;

export interface PlannedLayer {
  readonly job: LayerJob;
  readonly dtype: NumericDType;
  readonly axes: readonly AxisAlignment[];
  /** Reference chunk shape, or null for contiguous storage. */
  readonly chunks: readonly number[] | null;
}

/** The tile shape: chunk shape (or single rows) grown along the last dimensions up to the byte target. */
export function regionShape(
  overlap: readonly number[],
  chunks: readonly number[] | null,
  target = TARGET_REGION_ELEMENTS,
): number[] {
  const rank = overlap.length;
  const block =
    chunks && chunks.length === rank
      ? chunks.map((c) => Math.max(1, c))
      : overlap.map((c, d) => (d === rank - 1 ? Math.max(1, c) : 1));
  for (let d = rank - 1; d >= 0; d--) {
    const elements = block.reduce((n, c) => n * c, 1);
    if (elements >= target) break;
    const chunk = block[d]!;
    const multiple = Math.min(Math.ceil(overlap[d]! / chunk), Math.max(1, Math.floor(target / elements)));
    block[d] = chunk * multiple;
  }
  return block;
}

/** Tiles of the overlap whose edges fall on multiples of `block` in reference index space. */
export function tileRegions(axes: readonly AxisAlignment[], block: readonly number[]): Region[] {
  const rank = axes.length;
  if (rank === 0) return [{ referenceStart: [], candidateStart: [], count: [] }];
  if (axes.some((a) => a.count === 0)) return [];
  const ranges = axes.map((axis, d) => {
    const out: [number, number][] = [];
    const step = block[d]!;
    const end = axis.referenceStart + axis.count;
    for (let s = axis.referenceStart; s < end;) {
      const e = Math.min(end, (Math.floor(s / step) + 1) * step);
      out.push([s, e - s]);
      s = e;
    }
    return out;
  });
  const regions: Region[] = [];
  const index = new Array<number>(rank).fill(0);
  for (;;) {
    const referenceStart = index.map((i, d) => ranges[d]![i]![0]);
    const count = index.map((i, d) => ranges[d]![i]![1]);
    regions.push({ referenceStart, candidateStart: referenceStart.map((s, d) => s - axes[d]!.offset), count });
    let d = rank - 1;
    while (d >= 0 && index[d] === ranges[d]!.length - 1) index[d--] = 0;
    if (d < 0) break;
    index[d]!++;
  }
  return regions;
}

export function previewGrid(axes: readonly AxisAlignment[]): PreviewGrid | null {
  const rank = axes.length;
  if (rank < 2) return null;
  const [rowsAxis, colsAxis] = [axes[rank - 2]!, axes[rank - 1]!];
  const step = Math.max(1, Math.ceil(Math.max(rowsAxis.count, colsAxis.count) / PREVIEW_MAX_SIDE));
  return {
    step,
    rows: Math.ceil(rowsAxis.count / step),
    cols: Math.ceil(colsAxis.count / step),
    rowOrigin: rowsAxis.referenceStart,
    colOrigin: colsAxis.referenceStart,
  };
}

const volume = (count: readonly number[]): number => count.reduce((n, c) => n * c, 1);

/** Path of the labels variable a layer reads along with itself, if any (a phase layer and its components). */
function companionKey(layer: PlannedLayer): string {
  const job = layer.job;
  if (job.labels) return job.labels.source.variable;
  return COMPARATORS[job.comparator].holdsLabels ? job.reference.variable : `#${job.id}`;
}

/**
 * Group jobs into tasks. A phase layer and its connected components over the same region share a task so the
 * labels are decoded once (label layers first); other layers get a task per region so that the work spreads
 * evenly over the workers. Small jobs are packed together.
 */
export function planTasks(layers: readonly PlannedLayer[]): Task[] {
  const byRegion = new Map<string, { layer: number; region: Region; bytes: number }[]>();
  for (const layer of layers) {
    const overlap = layer.axes.map((a) => a.count);
    const size = bytesPerElement(layer.dtype);
    const block = regionShape(overlap, layer.chunks);
    for (const region of tileRegions(layer.axes, block)) {
      const key = JSON.stringify([companionKey(layer), region.referenceStart, region.candidateStart, region.count]);
      const list = byRegion.get(key) ?? [];
      list.push({ layer: layer.job.id, region, bytes: volume(region.count) * size });
      byRegion.set(key, list);
    }
  }
  const labelsFirst = (a: { layer: number }, b: { layer: number }): number => {
    const rank = (id: number): number => {
      const job = layers.find((l) => l.job.id === id)?.job;
      return job && COMPARATORS[job.comparator].holdsLabels ? 0 : 1;
    };
    return rank(a.layer) - rank(b.layer);
  };
  const tasks: Task[] = [];
  let small: { layer: number; region: Region }[] = [];
  let smallBytes = 0;
  const flushSmall = (): void => {
    if (small.length === 0) return;
    tasks.push({ id: tasks.length, jobs: small, pixels: small.reduce((n, j) => n + volume(j.region.count), 0) });
    small = [];
    smallBytes = 0;
  };
  for (const jobs of byRegion.values()) {
    jobs.sort(labelsFirst);
    const bytes = jobs.reduce((n, j) => n + j.bytes, 0);
    const plain = jobs.map(({ layer, region }) => ({ layer, region }));
    if (bytes < SMALL_JOB_BYTES) {
      small.push(...plain);
      smallBytes += bytes;
      if (smallBytes >= SMALL_JOB_BYTES) flushSmall();
    } else {
      tasks.push({ id: tasks.length, jobs: plain, pixels: plain.reduce((n, j) => n + volume(j.region.count), 0) });
    }
  }
  flushSmall();
  return tasks;
}
