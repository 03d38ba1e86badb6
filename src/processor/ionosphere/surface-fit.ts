/**
 * ISCE2's `weight_fitting` at one look in and out (how the ionosphere steps call it): a weighted least-squares
 * polynomial surface of order 2 (1, x, y, x², xy, y²; x the column, y the row) through the non-zero values whose
 * weight cor²/(1.009 − cor²) exceeds the threshold, evaluated on every pixel. As in ISCE2 the threshold applies to
 * that weight, not to the coherence itself (0.85 keeps coherence above ≈ 0.68).
 *
 * The normal equations are solved in coordinates scaled to [−1, 1]: the fitted surface is the same (the same
 * polynomials), and x² of a 2,000-column grid no longer squares the condition number past double precision.
 */

const TERMS = 6;

/** float32 weight, computed in float32 steps as numpy does on the plugin's float32 coherence. */
export function coherenceWeight(cor: number): number {
  const c2 = Math.fround(cor * cor);
  return Math.fround(c2 / Math.fround(1.009 - c2));
}

export function fitSurface(
  values: ArrayLike<number>,
  cor: ArrayLike<number>,
  width: number,
  length: number,
  threshold: number,
): Float64Array {
  const cx = (width - 1) / 2 || 1;
  const cy = (length - 1) / 2 || 1;
  const basis = (x: number, y: number, out: Float64Array): void => {
    const u = (x - cx) / cx;
    const v = (y - cy) / cy;
    out[0] = 1;
    out[1] = u;
    out[2] = v;
    out[3] = u * u;
    out[4] = u * v;
    out[5] = v * v;
  };
  const normal = new Float64Array(TERMS * TERMS);
  const rhs = new Float64Array(TERMS);
  const b = new Float64Array(TERMS);
  let used = 0;
  for (let y = 0; y < length; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * width + x;
      const w = coherenceWeight(cor[at]!);
      const z = values[at]!;
      if (!(w > threshold) || z === 0) continue;
      used++;
      basis(x, y, b);
      for (let i = 0; i < TERMS; i++) {
        rhs[i] = rhs[i]! + w * b[i]! * z;
        for (let j = 0; j < TERMS; j++) normal[i * TERMS + j] = normal[i * TERMS + j]! + w * b[i]! * b[j]!;
      }
    }
  }
  const coefficients = used === 0 ? new Float64Array(TERMS) : solve(normal, rhs);
  const surface = new Float64Array(width * length);
  for (let y = 0; y < length; y++) {
    for (let x = 0; x < width; x++) {
      basis(x, y, b);
      let s = 0;
      for (let i = 0; i < TERMS; i++) s += coefficients[i]! * b[i]!;
      surface[y * width + x] = s;
    }
  }
  return surface;
}

/**
 * Gaussian elimination with partial pivoting. A pivot that vanishes (too few or collinear samples) leaves its
 * coefficient at 0, as a minimum-norm least-squares solution would in the usual degenerate cases.
 */
export function solve(matrix: Float64Array, rhs: Float64Array): Float64Array {
  const n = rhs.length;
  const a = Float64Array.from(matrix);
  const r = Float64Array.from(rhs);
  const scale = Math.max(...a.map(Math.abs)) || 1;
  const skipped = new Array<boolean>(n).fill(false);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++)
      if (Math.abs(a[row * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = row;
    if (Math.abs(a[pivot * n + col]!) < 1e-12 * scale) {
      skipped[col] = true;
      continue;
    }
    if (pivot !== col) {
      for (let k = 0; k < n; k++) [a[col * n + k], a[pivot * n + k]] = [a[pivot * n + k]!, a[col * n + k]!];
      [r[col], r[pivot]] = [r[pivot]!, r[col]!];
    }
    for (let row = 0; row < n; row++) {
      if (row === col) continue;
      const f = a[row * n + col]! / a[col * n + col]!;
      if (f === 0) continue;
      for (let k = col; k < n; k++) a[row * n + k] = a[row * n + k]! - f * a[col * n + k]!;
      r[row] = r[row]! - f * r[col]!;
    }
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = skipped[i] ? 0 : r[i]! / a[i * n + i]!;
  return x;
}
