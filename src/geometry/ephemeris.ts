import type { Vec3 } from './ellipsoid.js';
import { ttMjd } from './time-scales.js';

/**
 * Low-precision positions of the Sun and the Moon (Montenbruck & Gill, Satellite Orbits, §3.3.2: about 0.01° for
 * the Sun and a few arcminutes for the Moon), in Earth-fixed coordinates through Greenwich mean sidereal time.
 * Ample for solid Earth tides, whose size depends on these directions to within a fraction of a millimetre.
 */

const RAD = Math.PI / 180;
const ARCSEC = RAD / 3600;
const OBLIQUITY = 23.43929111 * RAD;
/** Julian centuries of TT since J2000.0 for a UTC epoch in seconds. */
function centuries(utcSeconds: number): number {
  return (ttMjd(utcSeconds) + 2400000.5 - 2451545.0) / 36525;
}

function eclipticToEquatorial(longitude: number, latitude: number, distance: number): Vec3 {
  const x = distance * Math.cos(latitude) * Math.cos(longitude);
  const y = distance * Math.cos(latitude) * Math.sin(longitude);
  const z = distance * Math.sin(latitude);
  return [x, y * Math.cos(OBLIQUITY) - z * Math.sin(OBLIQUITY), y * Math.sin(OBLIQUITY) + z * Math.cos(OBLIQUITY)];
}

/** Greenwich mean sidereal time (radians) of a UTC epoch (UT1 ≈ UTC). */
export function siderealAngle(utcSeconds: number): number {
  const days = utcSeconds / 86400 + 2440587.5 - 2451545.0;
  const degrees = 280.46061837504 + 360.9856473662862 * days;
  return (((degrees % 360) + 360) % 360) * RAD;
}

function toEarthFixed(inertial: Vec3, utcSeconds: number): Vec3 {
  const theta = siderealAngle(utcSeconds);
  const [c, s] = [Math.cos(theta), Math.sin(theta)];
  return [c * inertial[0] + s * inertial[1], -s * inertial[0] + c * inertial[1], inertial[2]];
}

/** The Sun's position, metres, Earth-fixed. */
export function sunPosition(utcSeconds: number): Vec3 {
  const t = centuries(utcSeconds);
  const m = (357.5256 + 35999.049 * t) * RAD;
  // Ecliptic longitude of the J2000 equinox, plus precession to the equinox of date.
  const longitude = 282.94 * RAD + m + 6892 * ARCSEC * Math.sin(m) + 72 * ARCSEC * Math.sin(2 * m) + 1.3972 * t * RAD;
  const distance = (149.619 - 2.499 * Math.cos(m) - 0.021 * Math.cos(2 * m)) * 1e9;
  return toEarthFixed(eclipticToEquatorial(longitude, 0, distance), utcSeconds);
}

/** The Moon's position, metres, Earth-fixed. */
export function moonPosition(utcSeconds: number): Vec3 {
  const t = centuries(utcSeconds);
  // Mean longitude referred to the equinox of date, as the sidereal rotation below is.
  const l0 = (218.31617 + 481267.88088 * t) * RAD;
  const l = (134.96292 + 477198.86753 * t) * RAD;
  const lp = (357.52543 + 35999.04944 * t) * RAD;
  const f = (93.27283 + 483202.01873 * t) * RAD;
  const d = (297.85027 + 445267.11135 * t) * RAD;
  const s = Math.sin;
  const c = Math.cos;
  const longitude =
    l0 +
    ARCSEC *
      (22640 * s(l) +
        769 * s(2 * l) -
        4586 * s(l - 2 * d) +
        2370 * s(2 * d) -
        668 * s(lp) -
        412 * s(2 * f) -
        212 * s(2 * l - 2 * d) -
        206 * s(l + lp - 2 * d) +
        192 * s(l + 2 * d) -
        165 * s(lp - 2 * d) +
        148 * s(l - lp) -
        125 * s(d) -
        110 * s(l + lp) -
        55 * s(2 * f - 2 * d));
  const latitude =
    ARCSEC *
    (18520 * s(f + longitude - l0 + ARCSEC * (412 * s(2 * f) + 541 * s(lp))) -
      526 * s(f - 2 * d) +
      44 * s(l + f - 2 * d) -
      31 * s(-l + f - 2 * d) -
      25 * s(-2 * l + f) -
      23 * s(lp + f - 2 * d) +
      21 * s(-l + f) +
      11 * s(-lp + f - 2 * d));
  const distance =
    (385000 -
      20905 * c(l) -
      3699 * c(2 * d - l) -
      2956 * c(2 * d) -
      570 * c(2 * l) +
      246 * c(2 * l - 2 * d) -
      205 * c(lp - 2 * d) -
      171 * c(l + 2 * d) -
      152 * c(l + lp - 2 * d)) *
    1000;
  return toEarthFixed(eclipticToEquatorial(longitude, latitude, distance), utcSeconds);
}
