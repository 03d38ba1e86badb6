import type { Vec3 } from '../../geometry/ellipsoid.js';
import type { StateVector } from '../../geometry/orbit.js';

/**
 * A circular sun-synchronous orbit like Sentinel-1's (693 km, 98.18°), as ECEF state vectors every 10 s: the
 * satellite passes over (nadirLat, nadirLon) at `midTime`, ascending or descending. Physically consistent (positions,
 * velocities and Earth rotation agree), so the sample's radar geometry, baselines and angles are realistic.
 */

const GM = 3.986004418e14;
const EARTH_ROTATION = 7.2921159e-5;
const RADIUS = 6371000 + 693000;
const INCLINATION = (98.18 * Math.PI) / 180;
const RAD = Math.PI / 180;

export interface OrbitOptions {
  readonly midTime: number;
  readonly nadirLat: number;
  readonly nadirLon: number;
  readonly ascending: boolean;
  /** Seconds of state vectors each side of midTime. */
  readonly span?: number;
  /** Added to every position (a baseline between two passes). */
  readonly offset?: Vec3;
}

export function syntheticOrbit(options: OrbitOptions): StateVector[] {
  const n = Math.sqrt(GM / RADIUS ** 3);
  const sinU = Math.sin(options.nadirLat * RAD) / Math.sin(INCLINATION);
  const u0 = options.ascending ? Math.asin(sinU) : Math.PI - Math.asin(sinU);
  const node = options.nadirLon * RAD - Math.atan2(Math.sin(u0) * Math.cos(INCLINATION), Math.cos(u0));
  const span = options.span ?? 120;
  const offset = options.offset ?? [0, 0, 0];
  const vectors: StateVector[] = [];
  for (let dt = -span; dt <= span; dt += 10) {
    const time = options.midTime + dt;
    const u = u0 + n * dt;
    const [cO, sO, cI, sI, cU, sU] = [
      Math.cos(node),
      Math.sin(node),
      Math.cos(INCLINATION),
      Math.sin(INCLINATION),
      Math.cos(u),
      Math.sin(u),
    ];
    const r: Vec3 = [RADIUS * (cO * cU - sO * sU * cI), RADIUS * (sO * cU + cO * sU * cI), RADIUS * sU * sI];
    const v: Vec3 = [
      RADIUS * n * (-cO * sU - sO * cU * cI),
      RADIUS * n * (-sO * sU + cO * cU * cI),
      RADIUS * n * cU * sI,
    ];
    // Inertial and Earth-fixed frames coincide at midTime; the Earth turns by ω·dt since.
    const angle = EARTH_ROTATION * dt;
    const [c, s] = [Math.cos(angle), Math.sin(angle)];
    const position: Vec3 = [r[0] * c + r[1] * s + offset[0], -r[0] * s + r[1] * c + offset[1], r[2] + offset[2]];
    const rotated: Vec3 = [v[0] * c + v[1] * s, -v[0] * s + v[1] * c, v[2]];
    const velocity: Vec3 = [
      rotated[0] + EARTH_ROTATION * position[1],
      rotated[1] - EARTH_ROTATION * position[0],
      rotated[2],
    ];
    vectors.push({ time, position, velocity });
  }
  return vectors;
}
