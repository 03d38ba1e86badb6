import { cross, dot, llhToXyz, norm, normalAt, scale, sub, add, unit, xyzToLlh, type Vec3 } from './ellipsoid.js';
import type { Orbit } from './orbit.js';

/**
 * Zero-Doppler radar geometry: ground position → (azimuth time, slant range) and back, for right-looking
 * side-looking radars such as Sentinel-1 (its products are focused to zero Doppler).
 */

export interface RadarPoint {
  /** Azimuth time, epoch seconds. */
  readonly time: number;
  readonly range: number;
  readonly position: Vec3;
  readonly velocity: Vec3;
}

/** Convergence of azimuth time: 1 µs (7 mm along track). Epoch seconds only resolve ~0.24 µs, so no finer. */
const TIME_TOLERANCE = 1e-6;

/** Where the satellite sees `target` (ECEF) at zero Doppler: Newton iterations on (T − P)·V = 0. */
export function geo2rdr(orbit: Orbit, target: Vec3, guess = (orbit.start + orbit.end) / 2): RadarPoint {
  let time = guess;
  for (let iteration = 0; iteration < 100; iteration++) {
    const { position, velocity } = orbit.at(time);
    const los = sub(target, position);
    const step = dot(los, velocity) / dot(velocity, velocity);
    time += step;
    if (Math.abs(step) < TIME_TOLERANCE) {
      const at = orbit.at(time);
      return { time, range: norm(sub(target, at.position)), position: at.position, velocity: at.velocity };
    }
  }
  throw new Error('geo2rdr did not converge (is the target seen by this orbit?)');
}

/**
 * The ground point at slant range `range` and height `height` seen at zero Doppler at `time`, looking right of the
 * track: bisection on the off-nadir angle within the zero-Doppler plane.
 */
export function rdr2geo(orbit: Orbit, time: number, range: number, height = 0): [number, number, number] {
  const { position, velocity } = orbit.at(time);
  const along = unit(velocity);
  const down = unit(sub(scale(position, -1), scale(along, dot(scale(position, -1), along))));
  const right = unit(cross(down, along));
  const heightAt = (angle: number): number =>
    xyzToLlh(add(position, add(scale(down, range * Math.cos(angle)), scale(right, range * Math.sin(angle)))))[2];
  let low = 0;
  let high = (80 * Math.PI) / 180;
  if (heightAt(high) < height) throw new Error(`slant range ${range.toFixed(0)} m does not reach height ${height} m`);
  if (heightAt(low) > height)
    throw new Error(`slant range ${range.toFixed(0)} m is shorter than the satellite's height`);
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (heightAt(mid) < height) low = mid;
    else high = mid;
  }
  const angle = (low + high) / 2;
  return xyzToLlh(add(position, add(scale(down, range * Math.cos(angle)), scale(right, range * Math.sin(angle)))));
}

export interface ViewAngles {
  /** Angle at the satellite between the ellipsoid normal (down) and the line of sight, degrees. */
  readonly look: number;
  /** Angle at the target between its ellipsoid normal (up) and the direction to the satellite, degrees. */
  readonly incidence: number;
}

export function viewAngles(satellite: Vec3, target: Vec3): ViewAngles {
  const los = unit(sub(target, satellite));
  const [slat, slon] = xyzToLlh(satellite);
  const [tlat, tlon] = xyzToLlh(target);
  const look = Math.acos(Math.min(1, Math.max(-1, -dot(normalAt(slat, slon), los))));
  const incidence = Math.acos(Math.min(1, Math.max(-1, -dot(normalAt(tlat, tlon), los))));
  return { look: (look * 180) / Math.PI, incidence: (incidence * 180) / Math.PI };
}

/**
 * Parallel and perpendicular baselines of a pair at a target, as ISCE2 computes them: the secondary position
 * relative to the reference, projected on the reference line of sight (parallel) and its signed remainder
 * (perpendicular, signed by ((T − M) × (S − M)) · V_M).
 */
export function baselines(
  reference: RadarPoint,
  secondary: RadarPoint,
  target: Vec3,
): { parallel: number; perpendicular: number } {
  const baseline = sub(secondary.position, reference.position);
  const length = norm(baseline);
  const toTarget = sub(target, reference.position);
  const cosTheta = (reference.range ** 2 + length ** 2 - secondary.range ** 2) / (2 * reference.range * length);
  const parallel = length * cosTheta;
  const perpendicular = length * Math.sqrt(Math.max(0, 1 - cosTheta * cosTheta));
  const direction = Math.sign(dot(cross(toTarget, baseline), reference.velocity));
  return { parallel, perpendicular: direction * perpendicular };
}

export { llhToXyz };
