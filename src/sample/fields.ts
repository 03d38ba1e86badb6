import { gaussian, seededRandom } from './random.js';
import { dataLayer } from '../product/layer-catalogue.js';

/**
 * Synthetic but plausible interferogram layers on a rows x cols grid: a tilted swath footprint with fill outside,
 * an orbital ramp plus a deformation bowl plus smooth atmosphere in the phase, a water body (NaN phase), coherence
 * that drops over it, speckled amplitude, and a handful of connected components.
 */
export interface SampleLayers {
  readonly rows: number;
  readonly cols: number;
  /** 1 inside the swath footprint. */
  readonly swath: Uint8Array;
  /** 1 on the water body inside the swath (phase NaN, component 0). */
  readonly water: Uint8Array;
  readonly unwrappedPhase: Float32Array;
  readonly coherence: Float32Array;
  readonly amplitude: Float32Array;
  /** float32 labels as in GUNW v3: -1 outside the swath, 0 unreliable, 1..n components. */
  readonly connectedComponents: Float32Array;
}

/** Outside the swath, as the product declares it for the layer (product/layer-catalogue.ts). */
const COMPONENT_FILL = dataLayer('connectedComponents').fill;

function componentAt(u: number, v: number): number {
  // Five components split by two gently curved boundaries, numbered left to right, top to bottom.
  const split = 0.5 + 0.08 * Math.sin(3 * v);
  if (v < 0.35) return u < split ? 1 : 2;
  if (v < 0.7) return u < 0.3 ? 3 : 4;
  return 5;
}

export function sampleLayers(rows: number, cols: number, seed: number): SampleLayers {
  const uniform = seededRandom(seed);
  const normal = gaussian(uniform);
  const n = rows * cols;
  const swath = new Uint8Array(n);
  const water = new Uint8Array(n);
  const unwrappedPhase = new Float32Array(n);
  const coherence = new Float32Array(n);
  const amplitude = new Float32Array(n);
  const connectedComponents = new Float32Array(n);
  const [p1, p2, p3] = [uniform() * 6, uniform() * 6, uniform() * 6];
  for (let r = 0; r < rows; r++) {
    const v = r / rows;
    for (let c = 0; c < cols; c++) {
      const u = c / cols;
      const i = r * cols + c;
      const a = u - 0.12 * v;
      const b = v + 0.05 * u;
      if (!(a > 0.04 && a < 0.88 && b > 0.03 && b < 0.98)) {
        connectedComponents[i] = COMPONENT_FILL;
        continue;
      }
      swath[i] = 1;
      const atmosphere = 1.2 * Math.sin(5 * u + p1) * Math.cos(4 * v + p2) + 0.6 * Math.sin(11 * (u + v) + p3);
      const bowl = -9 * Math.exp(-(((u - 0.55) / 0.1) ** 2 + ((v - 0.45) / 0.12) ** 2));
      const coh = Math.min(
        0.98,
        Math.max(0.05, 0.6 + 0.2 * Math.sin(7 * u + p2) * Math.sin(6 * v + p1) + 0.05 * normal()),
      );
      const inWater = ((u - 0.33) / 0.07) ** 2 + ((v - 0.72) / 0.05) ** 2 < 1;
      water[i] = inWater ? 1 : 0;
      coherence[i] = inWater ? coh * 0.2 : coh;
      amplitude[i] =
        120 *
        Math.exp(0.5 * Math.sin(9 * u) * Math.cos(8 * v)) *
        Math.sqrt(-Math.log(Math.max(uniform(), 1e-9))) *
        (inWater ? 0.05 : 1);
      unwrappedPhase[i] = inWater
        ? Number.NaN
        : 2 * Math.PI * (3 * u + 1.5 * v) + atmosphere + bowl + 0.5 * (1 - coh) * normal();
      connectedComponents[i] = inWater || coh < 0.12 ? 0 : componentAt(u, v);
    }
  }
  return { rows, cols, swath, water, unwrappedPhase, coherence, amplitude, connectedComponents };
}
