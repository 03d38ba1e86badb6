import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNetcdf } from '../netcdf/h5wasm/writer.js';
import { DEMO_PERTURBATIONS, REGRESSED_PERTURBATIONS, samplePair, type PairTruth } from './pair.js';

export const SAMPLE_KINDS = ['passing', 'regressed'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

export interface WrittenSample {
  readonly reference: string;
  readonly candidate: string;
  readonly truth: PairTruth;
}

/** Write reference.nc, candidate.nc and truth.json of a sample pair into `dir`. */
export async function writeSamplePair(dir: string, kind: SampleKind, size?: { rows: number; cols: number }): Promise<WrittenSample> {
  const pair = samplePair(kind === 'passing' ? DEMO_PERTURBATIONS : REGRESSED_PERTURBATIONS, size);
  mkdirSync(dir, { recursive: true });
  const reference = join(dir, 'reference.nc');
  const candidate = join(dir, 'candidate.nc');
  await writeNetcdf(reference, pair.reference);
  await writeNetcdf(candidate, pair.candidate);
  writeFileSync(join(dir, 'truth.json'), `${JSON.stringify({ kind, ...pair.truth }, null, 2)}\n`);
  return { reference, candidate, truth: pair.truth };
}
