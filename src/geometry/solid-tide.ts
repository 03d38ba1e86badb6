import { cross, dot, llhToXyz, norm, normalAt, scale, sub, unit, type Vec3 } from './ellipsoid.js';
import { moonPosition, sunPosition } from './ephemeris.js';

/**
 * Solid Earth tide displacement of a point on the Earth (IERS Conventions 2010, §7.1.1, step 1: the in-phase
 * degree-2 and degree-3 tides of the Moon and the Sun with latitude-dependent Love numbers). The frequency-
 * dependent step-2 corrections and out-of-phase terms, a few millimetres at most, are left out.
 */

const EARTH_RADIUS = 6378136.6;
const MASS_RATIO_MOON = 0.012300034;
const MASS_RATIO_SUN = 332946.0482;
const H3 = 0.292;
const L3 = 0.015;

function bodyDisplacement(station: Vec3, body: Vec3, massRatio: number, sinLat: number): Vec3 {
  const r = norm(station);
  const rHat = scale(station, 1 / r);
  const distance = norm(body);
  const bHat = scale(body, 1 / distance);
  const cosPsi = dot(rHat, bHat);
  const p2 = (3 * sinLat * sinLat - 1) / 2;
  const h2 = 0.6078 - 0.0006 * p2;
  const l2 = 0.0847 + 0.0002 * p2;
  const tangential = sub(bHat, scale(rHat, cosPsi));
  const k2 = (massRatio * EARTH_RADIUS ** 4) / distance ** 3;
  const k3 = (massRatio * EARTH_RADIUS ** 5) / distance ** 4;
  const radial = k2 * h2 * (1.5 * cosPsi * cosPsi - 0.5) + k3 * H3 * (2.5 * cosPsi ** 3 - 1.5 * cosPsi);
  const transverse = k2 * 3 * l2 * cosPsi + k3 * L3 * (7.5 * cosPsi * cosPsi - 1.5);
  return [radial * rHat[0] + transverse * tangential[0], radial * rHat[1] + transverse * tangential[1], radial * rHat[2] + transverse * tangential[2]];
}

/** East, north and up displacement (metres) of (lat, lon) at a UTC epoch (seconds). */
export function solidTideEnu(lat: number, lon: number, utcSeconds: number): [number, number, number] {
  const station = llhToXyz(lat, lon, 0);
  const sinLat = Math.sin((lat * Math.PI) / 180);
  const moon = bodyDisplacement(station, moonPosition(utcSeconds), MASS_RATIO_MOON, sinLat);
  const sun = bodyDisplacement(station, sunPosition(utcSeconds), MASS_RATIO_SUN, sinLat);
  const total: Vec3 = [moon[0] + sun[0], moon[1] + sun[1], moon[2] + sun[2]];
  const up = normalAt(lat, lon);
  const east = unit(cross([0, 0, 1], up));
  const north = cross(up, east);
  return [dot(total, east), dot(total, north), dot(total, up)];
}
