import type { GroupSpec } from '../netcdf/spec.js';
import { sampleLayers, type SampleLayers } from './fields.js';
import { gaussian, seededRandom } from './random.js';
import { sampleProductSpec, type SampleMetadata } from './product.js';

/**
 * A reference product and a candidate made from it with planted, exactly counted differences: what the demo,
 * the tests and the regression examples compare.
 */

export interface Block {
  readonly row0: number;
  readonly col0: number;
  readonly rows: number;
  readonly cols: number;
}

export interface Perturbations {
  /** Gaussian noise added to phase, coherence and amplitude at valid pixels (within tolerance when ≤ 1e-4). */
  readonly noiseSigma?: number;
  /** Add 2π·k to the unwrapped phase of every pixel of one connected component. */
  readonly cycleSlip?: { readonly component: number; readonly k: number };
  /** Rename connected-component labels in the candidate ([from, to] pairs, applied simultaneously). */
  readonly relabel?: readonly (readonly [number, number])[];
  /** Set the candidate's unwrapped phase to NaN over a block. */
  readonly nanBlock?: Block;
  /** Add a constant to the candidate's coherence over a block. */
  readonly coherenceShift?: Block & { readonly value: number };
  /** Leave this variable of /science/grids/data out of the candidate. */
  readonly dropVariable?: string;
  /** Store the candidate's amplitude as float64 instead of float32. */
  readonly amplitudeAsDouble?: boolean;
  readonly coherenceUnits?: string;
  readonly softwareVersion?: string;
  readonly commandLine?: string;
}

export interface PairTruth {
  readonly rows: number;
  readonly cols: number;
  /** Pixels of the slipped component where the phase is valid in both products. */
  readonly cycleSlipPixels: number;
  /** Pixels valid in the reference phase and NaN in the candidate. */
  readonly nanMismatchPixels: number;
  /** Co-valid coherence pixels moved by the shift. */
  readonly coherenceShiftPixels: number;
  /** Pixels whose label was renamed. */
  readonly relabelledPixels: number;
}

export interface SamplePair {
  readonly reference: GroupSpec;
  readonly candidate: GroupSpec;
  readonly truth: PairTruth;
}

const SCENES = {
  reference: [
    'S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E',
    'S1A_IW_SLC__1SDV_20220212T222828_20220212T222855_041886_04FCA3_A3E2',
  ],
  secondary: [
    'S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F',
    'S1A_IW_SLC__1SDV_20220131T222828_20220131T222855_041711_04F690_28D7',
  ],
} as const;

/** The command line recorded in sample products; `extra` adds delivery options (and a password to redact). */
export function sampleCommandLine(extra: string, esdThreshold = '-1'): string {
  return (
    `isce2_topsapp ++process gunw_slc --reference-scenes ${SCENES.reference.join(' ')} --secondary-scenes ${SCENES.secondary.join(' ')} ` +
    `--frame-id 25502 --estimate-ionosphere-delay true --compute-solid-earth-tide false --esd-coherence-threshold ${esdThreshold} ` +
    `--output-resolution 90 --unfiltered-coherence false ${extra}`
  ).trim();
}

export const REFERENCE_METADATA: SampleMetadata = {
  commandLine: sampleCommandLine(
    '--bucket gunw-reference --bucket-prefix golden --username aria-ops --password hunter2-reference',
  ),
  softwareVersion: '0.3.8',
  referenceGranules: SCENES.reference.map((s) => `${s}.zip`),
  secondaryGranules: SCENES.secondary.map((s) => `${s}.zip`),
  coherenceUnits: 'unitless',
};

function inBlock(block: Block | undefined, r: number, c: number): boolean {
  return (
    block !== undefined &&
    r >= block.row0 &&
    r < block.row0 + block.rows &&
    c >= block.col0 &&
    c < block.col0 + block.cols
  );
}

function perturb(reference: SampleLayers, p: Perturbations): { layers: SampleLayers; truth: PairTruth } {
  const normal = gaussian(seededRandom(7));
  const phase = Float32Array.from(reference.unwrappedPhase);
  const coherence = Float32Array.from(reference.coherence);
  const amplitude = Float32Array.from(reference.amplitude);
  const labels = Float32Array.from(reference.connectedComponents);
  const rename = new Map(p.relabel ?? []);
  let cycleSlipPixels = 0;
  let nanMismatchPixels = 0;
  let coherenceShiftPixels = 0;
  let relabelledPixels = 0;
  const { rows, cols } = reference;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (!reference.swath[i]) continue;
      const sigma = p.noiseSigma ?? 0;
      if (sigma > 0) {
        if (!reference.water[i]) phase[i]! += sigma * normal();
        coherence[i]! += sigma * normal();
        amplitude[i]! += sigma * normal();
      }
      const label = labels[i]!;
      const phaseValid = !Number.isNaN(phase[i]!);
      if (p.cycleSlip && label === p.cycleSlip.component && phaseValid) {
        phase[i]! += 2 * Math.PI * p.cycleSlip.k;
        if (!inBlock(p.nanBlock, r, c)) cycleSlipPixels++;
      }
      if (inBlock(p.nanBlock, r, c) && phaseValid && reference.unwrappedPhase[i] !== 0) {
        phase[i] = Number.NaN;
        nanMismatchPixels++;
      }
      if (p.coherenceShift && inBlock(p.coherenceShift, r, c)) {
        coherence[i]! += p.coherenceShift.value;
        coherenceShiftPixels++;
      }
      const renamed = rename.get(label);
      if (renamed !== undefined) {
        labels[i] = renamed;
        relabelledPixels++;
      }
    }
  }
  return {
    layers: { ...reference, unwrappedPhase: phase, coherence, amplitude, connectedComponents: labels },
    truth: { rows, cols, cycleSlipPixels, nanMismatchPixels, coherenceShiftPixels, relabelledPixels },
  };
}

function dataGroup(spec: GroupSpec): GroupSpec {
  return spec.groups!.science!.groups!.grids!.groups!.data!;
}

export function samplePair(
  p: Perturbations,
  size: { rows: number; cols: number } = { rows: 300, cols: 360 },
): SamplePair {
  const layers = sampleLayers(size.rows, size.cols, 20240601);
  const reference = sampleProductSpec(layers, REFERENCE_METADATA);
  const { layers: changed, truth } = perturb(layers, p);
  const candidate = sampleProductSpec(changed, {
    ...REFERENCE_METADATA,
    coherenceUnits: p.coherenceUnits ?? REFERENCE_METADATA.coherenceUnits,
    softwareVersion: p.softwareVersion ?? REFERENCE_METADATA.softwareVersion,
    commandLine: p.commandLine ?? REFERENCE_METADATA.commandLine,
  });
  const data = dataGroup(candidate) as { variables: GroupSpec['variables'] };
  let variables = [...(data.variables ?? [])];
  if (p.dropVariable) variables = variables.filter((v) => v.name !== p.dropVariable);
  if (p.amplitudeAsDouble)
    variables = variables.map((v) =>
      v.name === 'amplitude' ? { ...v, dtype: 'f8', data: Float64Array.from(v.data as Float32Array) } : v,
    );
  data.variables = variables;
  return { reference, candidate, truth };
}

/** The demo pair: differences a regression check must explain but not fail on. */
export const DEMO_PERTURBATIONS: Perturbations = {
  noiseSigma: 1e-4,
  cycleSlip: { component: 4, k: 1 },
  relabel: [
    [2, 3],
    [3, 2],
  ],
  softwareVersion: '0.4.0',
  commandLine: sampleCommandLine(
    '--bucket gunw-candidate --bucket-prefix pr-42 --username aria-ops --password hunter2-candidate',
  ),
};

/** A pair with real regressions on top of the demo's differences. */
export const REGRESSED_PERTURBATIONS: Perturbations = {
  ...DEMO_PERTURBATIONS,
  nanBlock: { row0: 40, col0: 150, rows: 20, cols: 30 },
  coherenceShift: { row0: 200, col0: 100, rows: 40, cols: 40, value: 0.05 },
  coherenceUnits: '1',
  dropVariable: 'amplitude',
  commandLine: sampleCommandLine('--bucket gunw-candidate --bucket-prefix pr-42 --password hunter2-candidate', '0.7'),
};
