import type { RegionSource, RegionView, SourceDescriptor } from '../netcdf/reader.js';
import { kernelRows } from '../wasm/kernels.js';
import { LayerAccumulator } from './accumulator.js';
import { COMPARATORS } from './comparators/index.js';
import { compareIdenticalLabelRuns, compareIdenticalRow, compareRow } from './kernel.js';
import { Mode, type RowSettings } from './row-settings.js';
import type { JobSums, LayerJob, LayerTotals, PreviewBlock, Region, Task, TaskOutcome } from './tasks.js';

export type SourceOpener = (descriptor: SourceDescriptor) => Promise<RegionSource>;

const COMPARE_BLOCK = 1024 * 1024;

function sourceKey(d: SourceDescriptor): string {
  return d.kind === 'memory' ? `memory:${d.key}` : `${d.kind}:${d.file}:${d.variable}`;
}

/**
 * Runs tasks in one thread (a worker, or the main thread for small or in-memory products). Keeps its sources open
 * across tasks and one accumulator per layer; the totals are collected once at the end.
 */
export class TaskRunner {
  private readonly sources = new Map<string, Promise<RegionSource>>();
  private readonly accumulators = new Map<number, LayerAccumulator>();
  private scratch = new Float32Array(0);
  private deltas = new Float64Array(0);
  /** A row's runs, for identical label regions held as runs. */
  private runStarts = new Int32Array(0);
  private runValues = new Float64Array(0);
  /** Blocks of the two sides' stored chunks, compared to skip decoding identical ones. */
  private readonly storedA = Buffer.allocUnsafe(COMPARE_BLOCK);
  private readonly storedB = Buffer.allocUnsafe(COMPARE_BLOCK);

  constructor(
    private readonly layers: readonly LayerJob[],
    private readonly open: SourceOpener,
  ) {}

  private source(descriptor: SourceDescriptor): Promise<RegionSource> {
    const key = sourceKey(descriptor);
    let source = this.sources.get(key);
    if (!source) {
      source = this.open(descriptor);
      this.sources.set(key, source);
    }
    return source;
  }

  private accumulator(layer: number): LayerAccumulator {
    let acc = this.accumulators.get(layer);
    if (!acc) {
      acc = new LayerAccumulator(layer);
      this.accumulators.set(layer, acc);
    }
    return acc;
  }

  async run(task: Task): Promise<TaskOutcome> {
    // A region read for one job and needed again later in the task (the labels of a phase layer) is kept until
    // its last use; everything else is dropped as soon as its job is done, so at most a few regions are alive.
    const reads = task.jobs.map((job) => this.readsOf(job.layer, job.region));
    const lastUse = new Map<string, number>();
    reads.forEach((list, i) => list.forEach(([key]) => lastUse.set(key, i)));
    const views = new Map<string, RegionView>();
    const previews: PreviewBlock[] = [];
    const sums: JobSums[] = [];
    for (let i = 0; i < task.jobs.length; i++) {
      const job = task.jobs[i]!;
      const layer = this.layers[job.layer]!;
      const identical = await this.storedIdentically(layer, job.region);
      const opened: RegionView[] = [];
      for (const [n, [key, descriptor, start]] of reads[i]!.entries()) {
        let view = views.get(key);
        if (!view && n === 1 && identical) view = opened[0];
        if (!view) view = (await this.source(descriptor)).read(start, job.region.count);
        views.set(key, view);
        opened.push(view);
      }
      const preview = this.compareRegion(
        layer,
        job.region,
        opened[0]!,
        identical ? null : opened[1]!,
        opened[2] ?? null,
      );
      if (preview) previews.push(preview);
      sums.push(this.accumulator(layer.id).takeSums());
      for (const [key] of reads[i]!) {
        if (lastUse.get(key) !== i) continue;
        const view = views.get(key);
        views.delete(key);
        // One view can stand for two reads (identical stored chunks): its memory is reused only when both are done.
        if (view && ![...views.values()].includes(view)) view.release?.();
      }
    }
    return { id: task.id, pixels: task.pixels, previews, sums };
  }

  /**
   * True when both products store this region in one chunk each with byte-identical stored bytes and the same
   * encoding: then the values are identical and the candidate need not be decoded at all. Re-runs of the same job
   * are mostly bit-identical, so this halves the work where it matters most.
   */
  private async storedIdentically(layer: LayerJob, region: Region): Promise<boolean> {
    const a = (await this.source(layer.reference)).storedChunk?.(region.referenceStart, region.count);
    const b = (await this.source(layer.candidate)).storedChunk?.(region.candidateStart, region.count);
    if (!a || !b || a.encoding !== b.encoding || a.size !== b.size) return false;
    // Block by block: little memory, and chunks that differ usually differ in their first block.
    for (let offset = 0; offset < a.size; offset += COMPARE_BLOCK) {
      const length = Math.min(COMPARE_BLOCK, a.size - offset);
      if (!a.read(offset, length, this.storedA).equals(b.read(offset, length, this.storedB))) return false;
    }
    return true;
  }

  /** The regions a job reads: reference, candidate, and the reference labels for an unwrapped-phase layer. */
  private readsOf(layerId: number, region: Region): [string, SourceDescriptor, readonly number[]][] {
    const layer = this.layers[layerId]!;
    const entry = (d: SourceDescriptor, start: readonly number[]): [string, SourceDescriptor, readonly number[]] => [
      `${sourceKey(d)}|${start.join(',')}|${region.count.join(',')}`,
      d,
      start,
    ];
    const list = [entry(layer.reference, region.referenceStart), entry(layer.candidate, region.candidateStart)];
    if (layer.labels && COMPARATORS[layer.comparator].readsComponents)
      list.push(entry(layer.labels.source, region.referenceStart));
    return list;
  }

  /** Compare one region; `b` null means the candidate's region is identical to the reference's. */
  private compareRegion(
    layer: LayerJob,
    region: Region,
    a: RegionView,
    b: RegionView | null,
    labels: RegionView | null,
  ): PreviewBlock | null {
    const count = region.count;
    const rank = count.length;
    const rowLength = a.rowLength;
    if (this.scratch.length < rowLength) {
      this.scratch = new Float32Array(rowLength);
      this.deltas = new Float64Array(rowLength);
      this.runStarts = new Int32Array(rowLength);
      this.runValues = new Float64Array(rowLength);
    }
    // Rows live in the SIMD kernels' memory, which unshuffles into them and compares them in place.
    const { a: rowA, b: rowB, labels: rowLabels } = kernelRows(rowLength);
    const block = layer.preview && rank >= 2 ? previewBlock(layer, region) : null;
    const settings: RowSettings = {
      mode: COMPARATORS[layer.comparator].mode,
      fillA: layer.referenceFill ?? Number.NaN,
      fillB: layer.candidateFill ?? Number.NaN,
      abs: layer.abs,
      rel: layer.rel,
      labelFill: layer.labels?.fill ?? Number.NaN,
      acc: this.accumulator(layer.id),
      scratch: this.scratch,
      scratchBits: new Uint32Array(this.scratch.buffer, 0, this.scratch.length),
      deltas: this.deltas,
      previewDiff: block?.block.diff ?? null,
      previewMismatch: block?.block.mismatch ?? null,
      previewLabels: block?.block.labels ?? null,
      previewColumn: block?.columns ?? null,
    };
    const rowsPerPlane = rank >= 2 ? count[rank - 2]! : 1;
    // Identical labels held as runs (re-runs): counted a run at a time, never expanded into pixels.
    if (b === null && labels === null && block === null && settings.mode === Mode.Labels && a.readRowRuns) {
      const { runStarts: starts, runValues: values } = this;
      for (let r = 0; r < a.rows; r++)
        compareIdenticalLabelRuns(settings, starts, values, a.readRowRuns(r, starts, values), rowLength);
      return null;
    }
    for (let r = 0; r < a.rows; r++) {
      a.readRow(r, rowA);
      if (labels) labels.readRow(r, rowLabels);
      const previewRow = block ? block.rowCell(r % rowsPerPlane) : 0;
      if (b === null) {
        compareIdenticalRow(settings, rowA, rowLength, labels ? rowLabels : null, previewRow);
      } else {
        b.readRow(r, rowB);
        compareRow(settings, rowA, rowB, rowLength, labels ? rowLabels : null, previewRow);
      }
    }
    return block?.block ?? null;
  }

  totals(): LayerTotals[] {
    return [...this.accumulators.values()].map((acc) => acc.totals());
  }

  async close(): Promise<void> {
    for (const source of this.sources.values()) (await source).close();
    this.sources.clear();
  }
}

interface BlockPlan {
  readonly block: PreviewBlock;
  readonly columns: Int32Array;
  rowCell(rowInRegion: number): number;
}

/** The part of the layer's preview grid this region touches, with column → cell lookups for the kernel. */
function previewBlock(layer: LayerJob, region: Region): BlockPlan {
  const grid = layer.preview!;
  const rank = region.count.length;
  const [rowStart, colStart] = [
    region.referenceStart[rank - 2]! - grid.rowOrigin,
    region.referenceStart[rank - 1]! - grid.colOrigin,
  ];
  const [rowCount, colCount] = [region.count[rank - 2]!, region.count[rank - 1]!];
  const row0 = Math.floor(rowStart / grid.step);
  const col0 = Math.floor(colStart / grid.step);
  const rows = Math.floor((rowStart + rowCount - 1) / grid.step) - row0 + 1;
  const cols = Math.floor((colStart + colCount - 1) / grid.step) - col0 + 1;
  const columns = new Int32Array(colCount);
  for (let j = 0; j < colCount; j++) columns[j] = Math.floor((colStart + j) / grid.step) - col0;
  const block: PreviewBlock = {
    layer: layer.id,
    row0,
    col0,
    rows,
    cols,
    diff: new Float32Array(rows * cols).fill(Number.NaN),
    mismatch: new Uint8Array(rows * cols),
    labels: layer.labels ? new Float32Array(rows * cols).fill(Number.NaN) : null,
  };
  return { block, columns, rowCell: (row) => (Math.floor((rowStart + row) / grid.step) - row0) * cols };
}
