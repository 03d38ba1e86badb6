import { describe, expect, it } from 'vitest';
import { SameConvolver, gaussianKernel } from '../../../src/processor/ionosphere/convolve.js';
import { fft } from '../../../src/processor/ionosphere/fft.js';
import { seededRandom } from '../../../src/sample/random.js';

/** 'same' convolution by its definition: out[i][j] = Σ img[i + h − a][j + h − b]·k[a]·k[b], zero outside. */
function direct(image: Float64Array, width: number, length: number, k: Float64Array): Float64Array {
  const h = (k.length - 1) / 2;
  const out = new Float64Array(width * length);
  for (let i = 0; i < length; i++) {
    for (let j = 0; j < width; j++) {
      let sum = 0;
      for (let a = 0; a < k.length; a++) {
        const r = i + h - a;
        if (r < 0 || r >= length) continue;
        for (let b = 0; b < k.length; b++) {
          const c = j + h - b;
          if (c >= 0 && c < width) sum += image[r * width + c]! * k[a]! * k[b]!;
        }
      }
      out[i * width + j] = sum;
    }
  }
  return out;
}

const worst = (a: Float64Array, b: Float64Array): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

describe('FFT convolution', () => {
  it('transforms and returns a signal (inverse of forward is the identity; a delta has a flat spectrum)', () => {
    const uniform = seededRandom(3);
    const re = Float64Array.from({ length: 64 }, () => uniform());
    const im = new Float64Array(64);
    const original = Float64Array.from(re);
    fft(re, im);
    fft(re, im, true);
    expect(worst(re, original)).toBeLessThan(1e-14);
    const delta = new Float64Array(8);
    delta[0] = 1;
    const zero = new Float64Array(8);
    fft(delta, zero);
    expect([...delta]).toEqual(new Array(8).fill(1));
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow('fft length 6 is not a power of two');
  });

  it("equals the direct 'same' convolution, two images and kernels of different sizes in one transform", () => {
    const [width, length] = [17, 13];
    const uniform = seededRandom(4);
    const a = Float64Array.from({ length: width * length }, () => uniform() - 0.5);
    const b = Float64Array.from({ length: width * length }, () => uniform() * 2);
    const small = gaussianKernel(3, 1.1);
    const large = gaussianKernel(9, 2.5);
    expect(large.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    const convolver = new SameConvolver(width, length, 9);
    const both = convolver.spectrum(a, b);
    const one = convolver.convolve([{ spectrum: both, kernel: large }]);
    expect(worst(one.re, direct(a, width, length, large))).toBeLessThan(1e-13);
    expect(worst(one.im, direct(b, width, length, large))).toBeLessThan(1e-13);
    const onlyA = convolver.spectrum(a);
    const mixed = convolver.convolve([
      { spectrum: onlyA, kernel: small },
      { spectrum: onlyA, kernel: large, imaginary: true },
    ]);
    expect(worst(mixed.re, direct(a, width, length, small))).toBeLessThan(1e-13);
    expect(worst(mixed.im, direct(a, width, length, large))).toBeLessThan(1e-13);
    expect(() => convolver.convolve([{ spectrum: onlyA, kernel: gaussianKernel(11, 3) }])).toThrow(
      'kernel of 11: must be odd and at most the 9 this convolver pads for',
    );
  });
});
