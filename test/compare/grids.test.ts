import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { GroupSpec, VariableSpec } from '../../src/netcdf/spec.js';
import { samplePair } from '../../src/sample/pair.js';
import { SAMPLE_PIXEL_DEG } from '../../src/sample/product.js';
import { DATA, diffSpecs, layer } from '../helpers/diff.js';

const SIZE = { rows: 100, cols: 120 };

/** A copy of the product whose data grid is cut to rows [r0, r0+rows) and columns [c0, c0+cols). */
function cropDataGrid(spec: GroupSpec, r0: number, c0: number, rows: number, cols: number): GroupSpec {
  const copy = structuredClone<GroupSpec>(spec);
  const data = copy.groups!.science!.groups!.grids!.groups!.data! as {
    dimensions: Record<string, number>;
    variables: VariableSpec[];
  };
  const width = SIZE.cols;
  data.dimensions = { latitude: rows, longitude: cols };
  data.variables = data.variables.map((v) => {
    const values = v.data as Float32Array | Float64Array;
    if (v.name === 'latitude') return { ...v, data: values.slice(r0, r0 + rows) };
    if (v.name === 'longitude') return { ...v, data: values.slice(c0, c0 + cols) };
    if (v.dimensions?.length !== 2) return v;
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++)
      out.set((values as Float32Array).subarray((r0 + r) * width + c0, (r0 + r) * width + c0 + cols), r * cols);
    return { ...v, data: out, chunks: [Math.ceil(rows / 2), Math.ceil(cols / 2)] };
  });
  return copy;
}

function shiftLatitude(spec: GroupSpec, degrees: number): GroupSpec {
  const copy = structuredClone<GroupSpec>(spec);
  const data = copy.groups!.science!.groups!.grids!.groups!.data! as { variables: VariableSpec[] };
  data.variables = data.variables.map((v) =>
    v.name === 'latitude' ? { ...v, data: (v.data as Float64Array).map((x) => x + degrees) } : v,
  );
  return copy;
}

describe('comparing products whose grids differ', () => {
  it('compares on the overlap and reports the offset and overlap size', async () => {
    const { reference } = samplePair({}, SIZE);
    const candidate = cropDataGrid(reference, 10, 3, 80, 110);
    const result = await diffSpecs(reference, candidate);
    const grid = result.report.grids.find((g) => g.latitude === `${DATA}/latitude`)!;
    expect(grid).toEqual({
      latitude: `${DATA}/latitude`,
      longitude: `${DATA}/longitude`,
      referenceShape: [100, 120],
      candidateShape: [80, 110],
      offset: [10, 3],
      subPixelShift: [0, 0],
      overlap: [80, 110],
      aligned: false,
    });
    const phase = layer(result, `${DATA}/unwrappedPhase`);
    expect(phase.comparedShape).toEqual([80, 110]);
    expect(phase.maxAbsDiff).toBe(0);
    expect(phase.nanMismatch).toBe(0);
    expect(layer(result, `${DATA}/latitude`).maxAbsDiff).toBe(0);
    // Same values on the overlap, but the product shape changed: that is still reported.
    expect(result.report.structure.changed.map((c) => `${c.path}:${c.property}`)).toContain(
      `${DATA}/unwrappedPhase:shape`,
    );
  });

  it('reports a half-pixel shift of the coordinates (the rasterio vs ISCE pixel-centre convention)', async () => {
    const { reference } = samplePair({}, SIZE);
    const candidate = shiftLatitude(reference, -SAMPLE_PIXEL_DEG / 2);
    const result = await diffSpecs(reference, candidate);
    const grid = result.report.grids.find((g) => g.latitude === `${DATA}/latitude`)!;
    expect(grid.subPixelShift[0]).toBeCloseTo(0.5, 6);
    expect(grid.aligned).toBe(false);
    const latitude = layer(result, `${DATA}/latitude`);
    expect(latitude.verdict).toBe('fail');
    expect(latitude.maxAbsDiff).toBeCloseTo(SAMPLE_PIXEL_DEG / 2, 10);
  });

  it('refuses products that do not overlap, naming both files', async () => {
    const { reference } = samplePair({}, SIZE);
    const candidate = shiftLatitude(reference, 5);
    const attempt = diffSpecs(reference, candidate);
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow(
      /reference\.nc and candidate\.nc do not overlap: \/science\/grids\/data\/latitude spans/,
    );
  });

  it('refuses products at different resolutions', async () => {
    const { reference } = samplePair({}, SIZE);
    const copy = structuredClone<GroupSpec>(reference);
    const data = copy.groups!.science!.groups!.grids!.groups!.data! as { variables: VariableSpec[] };
    data.variables = data.variables.map((v) =>
      v.name === 'longitude' ? { ...v, data: (v.data as Float64Array).map((x, i) => x + i * SAMPLE_PIXEL_DEG) } : v,
    );
    await expect(diffSpecs(reference, copy)).rejects.toThrow(/spacing .* differs from the reference's/);
  });
});
