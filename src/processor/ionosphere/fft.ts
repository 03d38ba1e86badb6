/**
 * The complex fast Fourier transform (iterative radix 2, lengths a power of two) and its 2-D form over row-major
 * arrays. Written here rather than taken from npm: the ionosphere filter needs only these two loops, and packing two
 * real images into one complex transform (see convolve.ts) halves the transforms it makes.
 */

const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function twiddlesFor(n: number): { cos: Float64Array; sin: Float64Array } {
  let table = twiddles.get(n);
  if (!table) {
    const cos = new Float64Array(n / 2);
    const sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    table = { cos, sin };
    twiddles.set(n, table);
  }
  return table;
}

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** In place; `inverse` conjugates the twiddles and divides by n. */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if ((n & (n - 1)) !== 0) throw new Error(`fft length ${n} is not a power of two`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  const { cos, sin } = twiddlesFor(n);
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] = re[i]! / n;
      im[i] = im[i]! / n;
    }
  }
}

/**
 * 2-D transform of a rows × cols row-major array, in place. `live` [from, to) names the only rows that matter: on a
 * forward transform the rows outside it must be zero (their row transforms are skipped), on an inverse only those
 * rows are finished (columns first, then just those rows), which is what a zero-padded convolution needs.
 */
export function fft2d(
  re: Float64Array,
  im: Float64Array,
  rows: number,
  cols: number,
  inverse = false,
  live: readonly [number, number] = [0, rows],
): void {
  const rowPass = (): void => {
    for (let r = live[0]; r < live[1]; r++)
      fft(re.subarray(r * cols, (r + 1) * cols), im.subarray(r * cols, (r + 1) * cols), inverse);
  };
  const lineRe = new Float64Array(rows);
  const lineIm = new Float64Array(rows);
  const columnPass = (): void => {
    for (let c = 0; c < cols; c++) {
      for (let r = 0; r < rows; r++) {
        lineRe[r] = re[r * cols + c]!;
        lineIm[r] = im[r * cols + c]!;
      }
      fft(lineRe, lineIm, inverse);
      for (let r = 0; r < rows; r++) {
        re[r * cols + c] = lineRe[r]!;
        im[r * cols + c] = lineIm[r]!;
      }
    }
  };
  if (inverse) {
    columnPass();
    rowPass();
  } else {
    rowPass();
    columnPass();
  }
}
