import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiffReport } from '../../src/compare/report-schema.js';
import { H5wasmProductReader } from '../../src/netcdf/h5wasm/reader.js';
import { writeNetcdf } from '../../src/netcdf/h5wasm/writer.js';
import { REGRESSED_PERTURBATIONS, samplePair, type SamplePair } from '../../src/sample/pair.js';
import { diffReaders, diffSpecs } from '../helpers/diff.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
let pair: SamplePair;

beforeAll(async () => {
  pair = samplePair(REGRESSED_PERTURBATIONS, { rows: 97, cols: 131 });
  await writeNetcdf(join(dir, 'reference.nc'), pair.reference);
  await writeNetcdf(join(dir, 'candidate.nc'), pair.candidate);
});

async function diffFiles(a: string, b: string): Promise<DiffReport> {
  const [ra, rb] = [await H5wasmProductReader.open(join(dir, a)), await H5wasmProductReader.open(join(dir, b))];
  try {
    return (await diffReaders(ra, rb, { previews: true })).report;
  } finally {
    ra.close();
    rb.close();
  }
}

/** Everything that does not depend on where the products came from (readers may list children in another order). */
function comparable(report: DiffReport) {
  const byPath = <T extends { path: string }>(xs: readonly T[]): T[] =>
    [...xs].sort((a, b) => a.path.localeCompare(b.path));
  return {
    verdict: report.verdict,
    failures: [...report.failures].sort(),
    layers: byPath(report.layers.map(({ diffMap: _diffMap, ...rest }) => rest)),
    attributes: report.attributes,
    provenance: report.provenance,
    grids: report.grids,
  };
}

describe('the engine gives the same answer from files (chunk reader, h5wasm) as from memory', () => {
  it('on a pair with regressions', async () => {
    const fromFiles = await diffFiles('reference.nc', 'candidate.nc');
    const fromMemory = (await diffSpecs(pair.reference, pair.candidate, { previews: true })).report;
    expect(comparable(fromFiles)).toEqual(comparable(fromMemory));
  });

  it('on a product compared with itself (byte-identical chunks are decoded once)', async () => {
    const fromFiles = await diffFiles('reference.nc', 'reference.nc');
    const fromMemory = (await diffSpecs(pair.reference, pair.reference)).report;
    expect(comparable(fromFiles)).toEqual(comparable(fromMemory));
    expect(fromFiles.verdict).toBe('pass');
    const phase = fromFiles.layers.find((l) => l.path.endsWith('/unwrappedPhase'))!;
    expect(phase.compared).toBeGreaterThan(5000);
    expect([phase.maxAbsDiff, phase.p99AbsDiff, phase.exceeding, phase.nanMismatch]).toEqual([0, 0, 0, 0]);
  });
});
