import type { Vec3 } from './ellipsoid.js';

/**
 * A satellite orbit from state vectors (time in epoch seconds, ECEF position and velocity), interpolated with a
 * cubic Hermite polynomial between the two bracketing vectors — position and velocity both fit, so Sentinel-1's
 * 10 s vectors give centimetre positions.
 */

export interface StateVector {
  readonly time: number;
  readonly position: Vec3;
  readonly velocity: Vec3;
}

export class Orbit {
  readonly vectors: readonly StateVector[];

  constructor(vectors: readonly StateVector[]) {
    const sorted = [...vectors]
      .sort((a, b) => a.time - b.time)
      .filter((v, i, all) => i === 0 || v.time > all[i - 1]!.time);
    if (sorted.length < 2) throw new Error('an orbit needs at least two state vectors');
    this.vectors = sorted;
  }

  get start(): number {
    return this.vectors[0]!.time;
  }

  get end(): number {
    return this.vectors.at(-1)!.time;
  }

  /** Position and velocity at `time` (epoch seconds); refuses times outside the vectors by more than one step. */
  at(time: number): { position: Vec3; velocity: Vec3 } {
    const v = this.vectors;
    let i = 0;
    let j = v.length - 1;
    if (time < v[0]!.time - 10 || time > v[j]!.time + 10)
      throw new Error(`time ${new Date(time * 1000).toISOString()} is outside the orbit's state vectors`);
    while (j - i > 1) {
      const m = (i + j) >> 1;
      if (v[m]!.time <= time) i = m;
      else j = m;
    }
    const a = v[i]!;
    const b = v[j]!;
    const dt = b.time - a.time;
    const s = (time - a.time) / dt;
    const h00 = 2 * s ** 3 - 3 * s ** 2 + 1;
    const h10 = s ** 3 - 2 * s ** 2 + s;
    const h01 = -2 * s ** 3 + 3 * s ** 2;
    const h11 = s ** 3 - s ** 2;
    const d00 = (6 * s ** 2 - 6 * s) / dt;
    const d10 = 3 * s ** 2 - 4 * s + 1;
    const d01 = (-6 * s ** 2 + 6 * s) / dt;
    const d11 = 3 * s ** 2 - 2 * s;
    const position = [0, 1, 2].map(
      (k) => h00 * a.position[k]! + h10 * dt * a.velocity[k]! + h01 * b.position[k]! + h11 * dt * b.velocity[k]!,
    ) as Vec3;
    const velocity = [0, 1, 2].map(
      (k) => d00 * a.position[k]! + d10 * a.velocity[k]! + d01 * b.position[k]! + d11 * b.velocity[k]!,
    ) as Vec3;
    return { position, velocity };
  }
}
