import { fft, fft2d, nextPowerOfTwo } from './fft.js';

/**
 * 'same'-size 2-D convolution of real images with square separable kernels, through the FFT (as scipy's
 * `fftconvolve(..., mode='same')`, which the plugin uses): the images are zero-padded to at least
 * image + kernel − 1 on each axis, so the circular convolution equals the linear one, and the result is cut out
 * centred. Two real images travel as one complex image (a + ib), and a real kernel keeps them apart:
 * conv(a + ib, k) = conv(a, k) + i·conv(b, k).
 */

export interface Spectrum {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** Normalised so that the 2-D kernel outer(k, k) sums to 1 (ISCE2's `gaussian(size, sigma)`). */
export function gaussianKernel(size: number, sigma: number): Float64Array {
  if (size % 2 !== 1) throw new Error(`gaussian kernel size ${size} must be odd`);
  const half = (size - 1) / 2;
  const k = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const x = i - half;
    k[i] = Math.exp(-(x * x) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    sum += k[i]!;
  }
  for (let i = 0; i < size; i++) k[i] = k[i]! / sum;
  return k;
}

export class SameConvolver {
  readonly rows: number;
  readonly cols: number;

  constructor(
    readonly width: number,
    readonly length: number,
    readonly maxKernel: number,
  ) {
    if (maxKernel % 2 !== 1) throw new Error(`the largest kernel (${maxKernel}) must be odd`);
    this.rows = nextPowerOfTwo(length + maxKernel - 1);
    this.cols = nextPowerOfTwo(width + maxKernel - 1);
  }

  /** The spectrum of a + i·b (b absent: zero), both length × width. */
  spectrum(a: ArrayLike<number>, b?: ArrayLike<number>): Spectrum {
    const re = new Float64Array(this.rows * this.cols);
    const im = new Float64Array(this.rows * this.cols);
    for (let r = 0; r < this.length; r++) {
      for (let c = 0; c < this.width; c++) {
        re[r * this.cols + c] = a[r * this.width + c]!;
        if (b) im[r * this.cols + c] = b[r * this.width + c]!;
      }
    }
    fft2d(re, im, this.rows, this.cols, false, [0, this.length]);
    return { re, im };
  }

  /**
   * Convolutions combined into one inverse transform: Σ spectrum·K(kernel), each term multiplied by i when
   * `imaginary`. With real inputs and kernels, the result's real part holds the real terms and its imaginary part
   * the imaginary ones. Returns both, length × width, centred as 'same' mode centres them. Kernels of any odd size
   * up to the largest combine: each is centred in the largest.
   */
  convolve(terms: readonly { spectrum: Spectrum; kernel: Float64Array; imaginary?: boolean }[]): Spectrum {
    for (const { kernel } of terms) {
      if (kernel.length % 2 !== 1 || kernel.length > this.maxKernel)
        throw new Error(
          `kernel of ${kernel.length}: must be odd and at most the ${this.maxKernel} this convolver pads for`,
        );
    }
    const re = new Float64Array(this.rows * this.cols);
    const im = new Float64Array(this.rows * this.cols);
    for (const term of terms) {
      const rowK = this.kernelSpectrum(term.kernel, this.cols);
      const colK = this.kernelSpectrum(term.kernel, this.rows);
      const { re: sr, im: si } = term.spectrum;
      for (let u = 0; u < this.rows; u++) {
        const cr = colK.re[u]!;
        const ci = colK.im[u]!;
        for (let v = 0; v < this.cols; v++) {
          const kr = cr * rowK.re[v]! - ci * rowK.im[v]!;
          const ki = cr * rowK.im[v]! + ci * rowK.re[v]!;
          const at = u * this.cols + v;
          const pr = sr[at]! * kr - si[at]! * ki;
          const pi = sr[at]! * ki + si[at]! * kr;
          if (term.imaginary) {
            re[at] = re[at]! - pi;
            im[at] = im[at]! + pr;
          } else {
            re[at] = re[at]! + pr;
            im[at] = im[at]! + pi;
          }
        }
      }
    }
    const half = (this.maxKernel - 1) / 2;
    fft2d(re, im, this.rows, this.cols, true, [half, half + this.length]);
    const outRe = new Float64Array(this.width * this.length);
    const outIm = new Float64Array(this.width * this.length);
    for (let r = 0; r < this.length; r++) {
      for (let c = 0; c < this.width; c++) {
        const at = (r + half) * this.cols + c + half;
        outRe[r * this.width + c] = re[at]!;
        outIm[r * this.width + c] = im[at]!;
      }
    }
    return { re: outRe, im: outIm };
  }

  /** Every kernel is centred in one of the largest size (zeros around it change no sum), so all crop alike. */
  private kernelSpectrum(kernel: Float64Array, n: number): Spectrum {
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    re.set(kernel, (this.maxKernel - kernel.length) / 2);
    fft(re, im);
    return { re, im };
  }
}
