import { fitSurface } from './surface-fit.js';

/**
 * The dispersive phase from the lower and upper sub-band unwrapped phases (ISCE2's `computeIonosphere` with the
 * polynomial adjustment the ionosphere step asks for): a surface fitted to lower − upper over coherent pixels
 * tells the relative unwrapping error; the upper band moves by whole cycles towards it; then
 * ion = fl·fu·(lower·fu − upper·fl) / f0 / (fu² − fl²), f0 = (fl + fu)/2.
 *
 * The plugin does this on float32 arrays with Python scalars, which numpy applies in float32; the same steps are
 * rounded to float32 here (Math.fround), because the last formula cancels most digits (about 10⁻³ rad on 100 rad of
 * phase) and the result should be the plugin's, not a more precise one.
 */

export const SPEED_OF_LIGHT = 299792458;
/** ISCE2's sub-band split: 40 MHz of range bandwidth in thirds, the outer thirds as the two sub-bands. */
export const SPLIT_BANDWIDTH_HZ = 40e6;
export const ADJUSTMENT_THRESHOLD = 0.85;

export function subbandFrequencies(radarWavelength: number): { lower: number; upper: number } {
  const f0 = SPEED_OF_LIGHT / radarWavelength;
  // ISCE2 stores the sub-band wavelengths and the ionosphere step turns them back into frequencies.
  const lowerWavelength = SPEED_OF_LIGHT / (f0 - SPLIT_BANDWIDTH_HZ / 3);
  const upperWavelength = SPEED_OF_LIGHT / (f0 + SPLIT_BANDWIDTH_HZ / 3);
  return { lower: SPEED_OF_LIGHT / lowerWavelength, upper: SPEED_OF_LIGHT / upperWavelength };
}

/** numpy's `around`: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function computeIonosphere(
  lower: Float32Array,
  upperIn: Float32Array,
  cor: Float32Array,
  width: number,
  length: number,
  frequencies: { lower: number; upper: number },
): Float32Array {
  const f = Math.fround;
  const n = width * length;
  const difference = new Float32Array(n);
  for (let i = 0; i < n; i++) difference[i] = lower[i]! - upperIn[i]!;
  const surface = fitSurface(difference, cor, width, length, ADJUSTMENT_THRESHOLD);
  const upper = Float32Array.from(upperIn);
  for (let i = 0; i < n; i++) {
    if (lower[i] === 0) continue;
    const cycles = roundHalfEven((difference[i]! - surface[i]!) / (2 * Math.PI));
    upper[i] = upper[i]! + cycles * 2 * Math.PI;
  }
  const fl = frequencies.lower;
  const fu = frequencies.upper;
  const f0 = (fl + fu) / 2;
  const product = f(fl * fu);
  const flf = f(fl);
  const fuf = f(fu);
  const f0f = f(f0);
  const denominator = f(fu ** 2 - fl ** 2);
  const ionosphere = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d = f(f(lower[i]! * fuf) - f(upper[i]! * flf));
    ionosphere[i] = f(f(f(product * d) / f0f) / denominator);
  }
  return ionosphere;
}
