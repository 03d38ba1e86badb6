import { SameConvolver, gaussianKernel, type Spectrum } from './convolve.js';
import { roundHalfEven } from './compute.js';
import { fitSurface } from './surface-fit.js';

/**
 * The plugin's ionosphere filter (its `filt_gaussian` and modified `adaptive_gaussian`), on the raw ionosphere at
 * the ionosphere looks:
 *
 * 1. coherence outside [0, 1] is set to 0;
 * 2. with `fit` (ISCE2's default), a weighted order-2 surface (threshold 0.85 on the fitting weight) is removed
 *    from the non-zero ionosphere, and added back at the end where the result is non-zero;
 * 3. outlier removal, when a water mask was used: ionosphere set to 0 where coherence < 0.8, then where it lies
 *    more than 1 σ from the mean of the non-zero values;
 * 4. adaptive Gaussian filtering weighted by coherence¹⁴: for 100 window sizes from min to max (σ scaled from
 *    max/2), the weighted mean and its standard deviation; each pixel takes the window whose deviation is closest
 *    to the mean deviation of the whole stack; pixels without data take the mean of the rest;
 * 5. a last Gaussian of the minimum size smooths the seams between windows.
 *
 * numpy holds the ionosphere, coherence and weights in float32 (so do we) and convolves in float64 (the kernel is
 * float64), as we do; the FFTs differ only in rounding.
 */

export interface FilterOptions {
  readonly windowMax: number;
  readonly windowMin: number;
  /** Remove a fitted surface before filtering (ISCE2's `ionFit`, default true). */
  readonly fit: boolean;
  /** 0 skips the coherence cut (no water mask); the plugin uses 0.8 with one. */
  readonly coherenceThreshold: number;
  /** 0 skips the outlier cut; the plugin uses 1 (σ) with a water mask. */
  readonly sigmaRule: number;
}

export const WINDOW_STEPS = 100;
export const WEIGHT_POWER = 14;
export const FIT_THRESHOLD = 0.85;

export function filterIonosphere(
  ionosphere: Float32Array,
  coherence: Float32Array,
  width: number,
  length: number,
  options: FilterOptions,
): Float32Array {
  const n = width * length;
  const cor = Float32Array.from(coherence, (c) => (c < 0 || c > 1 ? 0 : c));
  const ion = Float32Array.from(ionosphere);
  const surface = options.fit ? fitSurface(ion, cor, width, length, FIT_THRESHOLD) : null;
  if (surface) for (let i = 0; i < n; i++) if (ion[i] !== 0) ion[i] = ion[i]! - surface[i]!;
  if (options.coherenceThreshold !== 0)
    for (let i = 0; i < n; i++) if (cor[i]! < options.coherenceThreshold) ion[i] = 0;
  if (options.sigmaRule !== 0) removeOutliers(ion, options.sigmaRule);
  const weight = Float32Array.from(cor, (c) => Math.fround(c ** WEIGHT_POWER));
  const filtered = adaptiveGaussian(ion, weight, width, length, options.windowMax, options.windowMin);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = surface && filtered[i] !== 0 ? filtered[i]! + surface[i]! : filtered[i]!;
  return out;
}

function removeOutliers(ion: Float32Array, sigmaRule: number): void {
  let count = 0;
  let sum = 0;
  for (const v of ion) {
    if (v === 0) continue;
    count++;
    sum += v;
  }
  if (count === 0) return;
  const mean = sum / count;
  let squares = 0;
  for (const v of ion) if (v !== 0) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / count);
  for (let i = 0; i < ion.length; i++) {
    if (ion[i]! > mean + sigmaRule * std || ion[i]! < mean - sigmaRule * std) ion[i] = 0;
  }
}

/** The window sizes: 100 from min to max, rounded (halves to even) and made odd. */
export function windowSizes(windowMax: number, windowMin: number): number[] {
  return Array.from({ length: WINDOW_STEPS }, (_, i) => {
    const size = roundHalfEven(windowMin + ((windowMax - windowMin) * i) / (WINDOW_STEPS - 1));
    return size % 2 === 0 ? size + 1 : size;
  });
}

export function adaptiveGaussian(
  ionIn: Float32Array,
  weightIn: Float32Array,
  width: number,
  length: number,
  windowMax: number,
  windowMin: number,
): Float64Array {
  const n = width * length;
  const flag = new Uint8Array(n);
  const ion = new Float64Array(n);
  const weight = new Float64Array(n);
  const weighted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    flag[i] = ionIn[i] !== 0 && weightIn[i] !== 0 ? 1 : 0;
    ion[i] = flag[i] ? ionIn[i]! : 0;
    weight[i] = flag[i] ? weightIn[i]! : 0;
    // numpy multiplies the two float32 arrays in float32.
    weighted[i] = Math.fround(ion[i]! * weight[i]!);
  }
  const sizes = windowSizes(windowMax, windowMin);
  const smoothing = windowMin % 2 === 0 ? windowMin + 1 : windowMin;
  const convolver = new SameConvolver(width, length, Math.max(...sizes, smoothing));
  const weightSpectrum = convolver.spectrum(weight);
  const weightedSpectrum = convolver.spectrum(weighted);
  const sigma = windowMax / 2;
  // Rounded and made odd, the 100 sizes repeat (101, 101, 103, 103, …), and equal sizes give equal results: each
  // distinct size is convolved once and counted as often as it occurs; the weighted means of two sizes share one
  // inverse transform, the weights' sum and variance another (see SameConvolver.convolve).
  const distinct = [...new Set(sizes)];
  const occurrences = distinct.map((size) => sizes.filter((s) => s === size).length);
  const kernels = distinct.map((size) => gaussianKernel(size, (sigma * size) / windowMax));
  const filtered: Float64Array[] = [];
  const deviation: Float64Array[] = [];
  for (let k = 0; k < distinct.length; k += 2) {
    const pair = convolver.convolve([
      { spectrum: weightedSpectrum, kernel: kernels[k]! },
      ...(k + 1 < distinct.length ? [{ spectrum: weightedSpectrum, kernel: kernels[k + 1]!, imaginary: true }] : []),
    ]);
    filtered[k] = pair.re;
    if (k + 1 < distinct.length) filtered[k + 1] = pair.im;
  }
  for (let k = 0; k < distinct.length; k++) {
    const kernel = kernels[k]!;
    const { re: scale, im: variance } = convolver.convolve([
      { spectrum: weightSpectrum, kernel },
      { spectrum: weightSpectrum, kernel: kernel.map((v) => v * v), imaginary: true },
    ]);
    const numerator = filtered[k]!;
    const std = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const sc = scale[i]!;
      numerator[i] = numerator[i]! / (sc + (sc === 0 ? 1 : 0));
      const sc2 = sc * sc;
      const v = flag[i] ? variance[i]! / (sc2 + (sc2 === 0 ? 1 : 0)) : 0;
      std[i] = v < 0 ? 0 : Math.sqrt(v);
    }
    deviation[k] = std;
  }
  const out = pickWindows(filtered, deviation, occurrences, n);
  fillWithoutData(out, flag);
  return smoothSeams(out, convolver, smoothing);
}

/**
 * For each pixel the window whose deviation is nearest the mean of all non-zero deviations of the 100-window stack
 * (each distinct size counted as often as it occurs), zero deviations never chosen unless all are; the smallest
 * window wins ties, as numpy's argmin takes the first.
 */
function pickWindows(
  filtered: Float64Array[],
  deviation: Float64Array[],
  occurrences: number[],
  n: number,
): Float64Array {
  let sum = 0;
  let count = 0;
  deviation.forEach((layer, k) => {
    for (const d of layer) {
      if (d === 0) continue;
      sum += d * occurrences[k]!;
      count += occurrences[k]!;
    }
  });
  const mean = count ? sum / count : 0;
  let farthest = 0;
  for (const layer of deviation) for (const d of layer) farthest = Math.max(farthest, Math.abs(d - mean));
  const standIn = farthest + mean + 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let k = 0; k < deviation.length; k++) {
      const d = deviation[k]![i]!;
      const distance = Math.abs((d === 0 ? standIn : d) - mean);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = k;
      }
    }
    out[i] = filtered[best]![i]!;
  }
  return out;
}

function fillWithoutData(out: Float64Array, flag: Uint8Array): void {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < out.length; i++) {
    if (!flag[i]) continue;
    sum += out[i]!;
    count++;
  }
  const mean = count ? sum / count : 0;
  for (let i = 0; i < out.length; i++) if (!flag[i]) out[i] = mean;
}

function smoothSeams(out: Float64Array, convolver: SameConvolver, size: number): Float64Array {
  const kernel = gaussianKernel(size, size / 2);
  const present = Float64Array.from(out, (v) => (v !== 0 ? 1 : 0));
  const spectrum: Spectrum = convolver.spectrum(present, out);
  const { re: scale, im: smoothed } = convolver.convolve([{ spectrum, kernel }]);
  return smoothed.map((v, i) => v / (scale[i]! + (scale[i] === 0 ? 1 : 0)));
}
