import { roundHalfEven } from './compute.js';

/**
 * The swath-by-swath ionosphere's last part (the plugin's `ionSwathBySwath`, after each swath's raw ionosphere is
 * computed on the whole frame's grid): the outer swaths are moved onto the middle one by the coherence¹⁴-weighted
 * mean difference over their overlap (middle-swath coherence above 0.85, at least 5 samples, else left as they are),
 * then each burst's valid box, at the ionosphere looks, is copied from its swath into the frame.
 */

export const SWATH_ADJUSTMENT_COHERENCE = 0.85;
const MIN_SAMPLES = 5;

export interface SwathRaster {
  readonly ion: Float32Array;
  readonly cor: Float32Array;
  readonly amp: Float32Array;
}

/** [first line, last line, first sample, last sample], 1-based, full resolution, in the merged image. */
export type ValidBox = readonly [number, number, number, number];

export interface SwathMerge extends SwathRaster {
  /** The shift given to each swath (0 for the middle one and for any left alone). */
  readonly shifts: readonly number[];
}

function adjustTo(reference: SwathRaster, moved: Float32Array): number | null {
  let weights = 0;
  const picked: number[] = [];
  for (let i = 0; i < moved.length; i++) {
    if (moved[i] === 0 || reference.ion[i] === 0 || !(reference.cor[i]! > SWATH_ADJUSTMENT_COHERENCE)) continue;
    picked.push(i);
    weights += Math.fround(reference.cor[i]! ** 14);
  }
  if (picked.length < MIN_SAMPLES) return null;
  let shift = 0;
  for (const i of picked) {
    const w = Math.fround(reference.cor[i]! ** 14);
    shift += Math.fround(Math.fround(Math.fround(reference.ion[i]! - moved[i]!) * w) / weights);
  }
  for (let i = 0; i < moved.length; i++) if (moved[i] !== 0) moved[i] = moved[i]! + shift;
  return shift;
}

export function mergeSwaths(
  swaths: readonly SwathRaster[],
  boxes: readonly (readonly ValidBox[])[],
  width: number,
  length: number,
  looks: { readonly range: number; readonly azimuth: number },
  log: (line: string) => void,
): SwathMerge {
  if (swaths.length < 2) throw new Error(`the swath-by-swath ionosphere needs at least 2 swaths, got ${swaths.length}`);
  if (boxes.length !== swaths.length)
    throw new Error(`${boxes.length} swath(s) of burst boxes for ${swaths.length} swath(s) of ionosphere`);
  const shifts = swaths.map(() => 0);
  for (const k of swaths.length === 3 ? [0, 2] : [0]) {
    const shift = adjustTo(swaths[1]!, swaths[k]!.ion);
    if (shift === null) log(`swath ${k + 1}: too few coherent samples in the overlap with swath 2; not adjusted`);
    else {
      shifts[k] = shift;
      log(`swath ${k + 1}: moved by ${shift.toFixed(4)} rad onto swath 2`);
    }
  }
  const merged = {
    ion: new Float32Array(width * length),
    cor: new Float32Array(width * length),
    amp: new Float32Array(width * length),
  };
  swaths.forEach((swath, k) => {
    for (const [l0, l1, s0, s1] of boxes[k]!) {
      const firstLine = roundHalfEven((l0 - 1) / looks.azimuth + 1);
      const lastLine = roundHalfEven(l1 / looks.azimuth);
      const firstSample = roundHalfEven((s0 - 1) / looks.range + 1);
      const lastSample = roundHalfEven(s1 / looks.range);
      for (let r = Math.max(firstLine - 1, 0); r < Math.min(lastLine, length); r++) {
        const from = r * width + Math.max(firstSample - 1, 0);
        const to = r * width + Math.min(lastSample, width);
        merged.ion.set(swath.ion.subarray(from, to), from);
        merged.cor.set(swath.cor.subarray(from, to), from);
        merged.amp.set(swath.amp.subarray(from, to), from);
      }
    }
  });
  return { ...merged, shifts };
}
