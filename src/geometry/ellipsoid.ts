/** WGS84 geodesy: geodetic ⇄ Earth-centred Earth-fixed coordinates and local normals (angles in degrees). */

export type Vec3 = [number, number, number];

export const WGS84 = { a: 6378137, f: 1 / 298.257223563 } as const;
const E2 = WGS84.f * (2 - WGS84.f);
const B = WGS84.a * (1 - WGS84.f);
const EP2 = E2 / (1 - E2);
const RAD = Math.PI / 180;

export const dot = (u: Vec3, v: Vec3): number => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
export const sub = (u: Vec3, v: Vec3): Vec3 => [u[0] - v[0], u[1] - v[1], u[2] - v[2]];
export const add = (u: Vec3, v: Vec3): Vec3 => [u[0] + v[0], u[1] + v[1], u[2] + v[2]];
export const scale = (u: Vec3, k: number): Vec3 => [u[0] * k, u[1] * k, u[2] * k];
export const norm = (u: Vec3): number => Math.sqrt(dot(u, u));
export const unit = (u: Vec3): Vec3 => scale(u, 1 / norm(u));
export const cross = (u: Vec3, v: Vec3): Vec3 => [
  u[1] * v[2] - u[2] * v[1],
  u[2] * v[0] - u[0] * v[2],
  u[0] * v[1] - u[1] * v[0],
];

/** [latitude, longitude, height] → ECEF metres. */
export function llhToXyz(lat: number, lon: number, h: number): Vec3 {
  const phi = lat * RAD;
  const lambda = lon * RAD;
  const n = WGS84.a / Math.sqrt(1 - E2 * Math.sin(phi) ** 2);
  return [
    (n + h) * Math.cos(phi) * Math.cos(lambda),
    (n + h) * Math.cos(phi) * Math.sin(lambda),
    (n * (1 - E2) + h) * Math.sin(phi),
  ];
}

/**
 * ECEF → [latitude, longitude, height] (Bowring's formula refined once; sub-millimetre for Earth and orbit heights).
 */
export function xyzToLlh([x, y, z]: Vec3): [number, number, number] {
  const p = Math.hypot(x, y);
  const lon = Math.atan2(y, x);
  let theta = Math.atan2(z * WGS84.a, p * B);
  let lat = Math.atan2(z + EP2 * B * Math.sin(theta) ** 3, p - E2 * WGS84.a * Math.cos(theta) ** 3);
  theta = Math.atan2((1 - WGS84.f) * Math.sin(lat), Math.cos(lat));
  lat = Math.atan2(z + EP2 * B * Math.sin(theta) ** 3, p - E2 * WGS84.a * Math.cos(theta) ** 3);
  const n = WGS84.a / Math.sqrt(1 - E2 * Math.sin(lat) ** 2);
  const h = Math.abs(Math.cos(lat)) > 1e-10 ? p / Math.cos(lat) - n : Math.abs(z) - B;
  return [lat / RAD, lon / RAD, h];
}

/** The ellipsoid's outward unit normal at a geodetic position (the n-vector). */
export function normalAt(lat: number, lon: number): Vec3 {
  const phi = lat * RAD;
  const lambda = lon * RAD;
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
}
