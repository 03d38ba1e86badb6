/**
 * ISCE2's `interpolateDifferentNumberOfLooks`, which takes the filtered ionosphere from the ionosphere looks
 * (200 × 50) to the interferogram's (19 × 7 at 90 m): scipy's `interp1d(kind='cubic', fill_value='extrapolate')`
 * along each row, the rows stored as float32, then along each column. interp1d's cubic is the not-a-knot cubic
 * spline; beyond the ends it continues the end pieces.
 *
 * Output pixel o (centred on its looks) sits at o·out/in + (out − in)/(2·in) in input pixels.
 */

export function lookPositions(count: number, inLooks: number, outLooks: number): Float64Array {
  return Float64Array.from(
    { length: count },
    (_, o) => (o * outLooks) / inLooks + (outLooks - inLooks) / (2 * inLooks),
  );
}

/** Second derivatives of the not-a-knot spline through y at 0, 1, …, n−1 (n ≥ 4). */
function splineMoments(y: Float64Array): Float64Array {
  const n = y.length;
  const d = (i: number): number => 6 * (y[i - 1]! - 2 * y[i]! + y[i + 1]!);
  const m = new Float64Array(n);
  // Not-a-knot on a unit grid: M0 = 2·M1 − M2 turns the first interior equation into 6·M1 = d1 (same at the end).
  m[1] = d(1) / 6;
  m[n - 2] = d(n - 2) / 6;
  const inner = n - 4; // unknowns M2 … M(n−3): M(i−1) + 4·M(i) + M(i+1) = d(i)
  if (inner > 0) {
    const c = new Float64Array(inner);
    const r = new Float64Array(inner);
    for (let k = 0; k < inner; k++) {
      const i = k + 2;
      let rhs = d(i);
      if (k === 0) rhs -= m[1];
      if (k === inner - 1) rhs -= m[n - 2]!;
      const denominator = 4 - (k > 0 ? c[k - 1]! : 0);
      c[k] = 1 / denominator;
      r[k] = (rhs - (k > 0 ? r[k - 1]! : 0)) / denominator;
    }
    for (let k = inner - 1; k >= 0; k--) m[k + 2] = r[k]! - (k < inner - 1 ? c[k]! * m[k + 3]! : 0);
  }
  m[0] = 2 * m[1] - m[2]!;
  m[n - 1] = 2 * m[n - 2]! - m[n - 3]!;
  return m;
}

export function cubicAt(y: Float64Array, positions: Float64Array): Float64Array {
  const n = y.length;
  if (n < 4) throw new Error(`cubic interpolation needs at least 4 samples, got ${n}`);
  const m = splineMoments(y);
  return positions.map((t) => {
    const i = Math.min(Math.max(Math.floor(t), 0), n - 2);
    const a = i + 1 - t;
    const b = t - i;
    return (m[i]! * a ** 3 + m[i + 1]! * b ** 3) / 6 + (y[i]! - m[i]! / 6) * a + (y[i + 1]! - m[i + 1]! / 6) * b;
  });
}

export interface LookChange {
  readonly inRange: number;
  readonly inAzimuth: number;
  readonly outRange: number;
  readonly outAzimuth: number;
}

export function interpolateLooks(
  data: Float32Array,
  width: number,
  length: number,
  outWidth: number,
  outLength: number,
  looks: LookChange,
): Float32Array {
  const columns = lookPositions(outWidth, looks.inRange, looks.outRange);
  const rows = lookPositions(outLength, looks.inAzimuth, looks.outAzimuth);
  const alongRows = new Float32Array(length * outWidth);
  for (let r = 0; r < length; r++) {
    const line = Float64Array.from(data.subarray(r * width, (r + 1) * width));
    alongRows.set(cubicAt(line, columns), r * outWidth);
  }
  const out = new Float32Array(outLength * outWidth);
  const column = new Float64Array(length);
  for (let c = 0; c < outWidth; c++) {
    for (let r = 0; r < length; r++) column[r] = alongRows[r * outWidth + c]!;
    const values = cubicAt(column, rows);
    for (let r = 0; r < outLength; r++) out[r * outWidth + c] = values[r]!;
  }
  return out;
}
