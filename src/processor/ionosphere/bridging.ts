import { solve } from './surface-fit.js';

/**
 * The plugin's treatment of the sub-band unwrapped phase before the ionosphere is computed:
 *
 * - bridging: each connected component (label 1…max, in order) is closed morphologically (a 3 × 3 cross, as
 *   skimage's `binary_closing` default: dilation with nothing beyond the edge, then erosion with everything beyond
 *   it), a plane is fitted to the phase under the closed mask (non-zero pixels only), and the median of the phase
 *   minus that plane over the closed mask is subtracted from the phase under it. Components are done one after the
 *   other on the phase as the previous ones left it, and the closing can reach pixels outside the component,
 *   including zeros: all as the plugin does.
 * - component-zero masking: amplitude and phase are set to 0 where the connected component is 0 (ISCE2's
 *   `maskUnwrap` with the `.conncomp` file).
 *
 * Arithmetic on the phase is rounded to float32 as numpy does on the float32 rasters.
 */

export function closeCross(mask: Uint8Array, width: number, length: number): Uint8Array {
  const dilated = new Uint8Array(mask.length);
  for (let r = 0; r < length; r++) {
    for (let c = 0; c < width; c++) {
      const at = r * width + c;
      dilated[at] =
        mask[at]! ||
        (r > 0 && mask[at - width]!) ||
        (r < length - 1 && mask[at + width]!) ||
        (c > 0 && mask[at - 1]!) ||
        (c < width - 1 && mask[at + 1]!)
          ? 1
          : 0;
    }
  }
  const closed = new Uint8Array(mask.length);
  for (let r = 0; r < length; r++) {
    for (let c = 0; c < width; c++) {
      const at = r * width + c;
      closed[at] =
        dilated[at]! &&
        (r === 0 || dilated[at - width]!) &&
        (r === length - 1 || dilated[at + width]!) &&
        (c === 0 || dilated[at - 1]!) &&
        (c === width - 1 || dilated[at + 1]!)
          ? 1
          : 0;
    }
  }
  return closed;
}

/** Least-squares plane a·row + b·col + c through the non-zero, non-NaN phase under `mask`, evaluated on it. */
function planeUnder(phase: Float32Array, mask: Uint8Array, width: number): (at: number) => number {
  const length = phase.length / width;
  const cy = (length - 1) / 2 || 1;
  const cx = (width - 1) / 2 || 1;
  const normal = new Float64Array(9);
  const rhs = new Float64Array(3);
  for (let at = 0; at < phase.length; at++) {
    const z = phase[at]!;
    if (!mask[at] || z === 0 || Number.isNaN(z)) continue;
    const b = [(Math.floor(at / width) - cy) / cy, ((at % width) - cx) / cx, 1];
    for (let i = 0; i < 3; i++) {
      rhs[i] = rhs[i]! + b[i]! * z;
      for (let j = 0; j < 3; j++) normal[i * 3 + j] = normal[i * 3 + j]! + b[i]! * b[j]!;
    }
  }
  const [p, q, s] = solve(normal, rhs);
  return (at) => Math.fround(p! * ((Math.floor(at / width) - cy) / cy) + q! * (((at % width) - cx) / cx) + s!);
}

/** numpy's median: the middle value, or the mean of the two middle ones (in float32 for float32 data). */
export function median(values: Float32Array): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float32Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.fround((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Bridges the components of `phase` in place; returns the shift applied to each label (index = label). */
export function bridgeComponents(phase: Float32Array, labels: Uint8Array, width: number): number[] {
  const length = phase.length / width;
  let maxLabel = 0;
  for (const l of labels) if (l > maxLabel) maxLabel = l;
  const shifts = [0];
  for (let label = 1; label <= maxLabel; label++) {
    const component = new Uint8Array(labels.length);
    for (let at = 0; at < labels.length; at++) component[at] = labels[at] === label ? 1 : 0;
    const closed = closeCross(component, width, length);
    const plane = planeUnder(phase, closed, width);
    const residuals: number[] = [];
    for (let at = 0; at < phase.length; at++) if (closed[at]) residuals.push(Math.fround(phase[at]! - plane(at)));
    const shift = median(Float32Array.from(residuals));
    shifts.push(shift);
    if (Number.isNaN(shift)) continue;
    for (let at = 0; at < phase.length; at++) if (closed[at]) phase[at] = Math.fround(phase[at]! - shift);
  }
  return shifts;
}

/** Zeroes amplitude and phase where the connected component is 0; returns how many pixels it zeroed. */
export function maskComponentZero(amplitude: Float32Array, phase: Float32Array, labels: Uint8Array): number {
  let zeroed = 0;
  for (let at = 0; at < labels.length; at++) {
    if (labels[at] !== 0) continue;
    if (amplitude[at] !== 0 || phase[at] !== 0) zeroed++;
    amplitude[at] = 0;
    phase[at] = 0;
  }
  return zeroed;
}
