import { cross, dot, llhToXyz, norm, normalAt, unit, type Vec3 } from './ellipsoid.js';
import { moonPosition, sunPosition } from './ephemeris.js';
import { ttMjd } from './time-scales.js';

/**
 * Solid Earth tide displacement of a point on the Earth, as the IERS Conventions (2003 §7.1.2, 2010 §7.1.1) give it
 * and as Dennis Milbert's `solid` program implements them — the program PySolid wraps and the Python plugin calls:
 *
 * - step 1: the degree-2 and degree-3 tides of the Moon and the Sun with nominal Love and Shida numbers (h2, l2
 *   depending on latitude), the out-of-phase corrections of the diurnal and semidiurnal bands (mantle
 *   inelasticity) and the latitude dependence of l (l⁽¹⁾);
 * - step 2: the frequency dependence of the Love numbers in the diurnal band (31 tidal constituents, K1 the largest,
 *   ~12 mm radial) and the long-period band (5 constituents).
 * The permanent tide is not restored (a tide-free crust, as in solid). The ephemerides are the low-precision series
 * of Montenbruck & Gill (ephemeris.ts), also as in solid. Measured against PySolid: docs/packaging.md.
 */

const EARTH_RADIUS = 6378136.55;
const MASS_RATIO_MOON = 0.012300034;
const MASS_RATIO_SUN = 332945.943062;
const H20 = 0.6078;
const L20 = 0.0847;
const H3 = 0.292;
const L3 = 0.015;
const DEG = Math.PI / 180;

/** The station's geocentric latitude and longitude terms, which every correction below is written in. */
interface Station {
  readonly x: Vec3;
  readonly r: number;
  readonly sinPhi: number;
  readonly cosPhi: number;
  readonly sinLa: number;
  readonly cosLa: number;
}

function stationOf(x: Vec3): Station {
  const r = norm(x);
  const cosPhi = Math.hypot(x[0], x[1]) / r;
  return { x, r, sinPhi: x[2] / r, cosPhi, sinLa: x[1] / (cosPhi * r), cosLa: x[0] / (cosPhi * r) };
}

/** A displacement given as radial, north and east parts at the station, in Earth-fixed coordinates. */
function fromLocal(s: Station, dr: number, dn: number, de: number): Vec3 {
  return [
    dr * s.cosLa * s.cosPhi - de * s.sinLa - dn * s.sinPhi * s.cosLa,
    dr * s.sinLa * s.cosPhi + de * s.cosLa - dn * s.sinPhi * s.sinLa,
    dr * s.sinPhi + dn * s.cosPhi,
  ];
}

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];

interface Body {
  readonly x: Vec3;
  readonly r: number;
  /** mass ratio · R · (R / r)³: the degree-2 scale of the body's tide. */
  readonly fac2: number;
}

function bodyOf(x: Vec3, massRatio: number): Body {
  const r = norm(x);
  return { x, r, fac2: massRatio * EARTH_RADIUS * (EARTH_RADIUS / r) ** 3 };
}

/** Step 1, in phase: degree 2 (h2, l2 with their latitude dependence) and degree 3, for one body. */
function inPhase(s: Station, b: Body): Vec3 {
  const cosPsi = dot(s.x, b.x) / (s.r * b.r);
  const p2 = 1 - 1.5 * s.cosPhi * s.cosPhi;
  const h2 = H20 - 0.0006 * p2;
  const l2 = L20 + 0.0002 * p2;
  const fac3 = b.fac2 * (EARTH_RADIUS / b.r);
  const alongBody = b.fac2 * 3 * l2 * cosPsi + fac3 * 1.5 * L3 * (5 * cosPsi * cosPsi - 1);
  const alongStation =
    b.fac2 * (3 * (h2 / 2 - l2) * cosPsi * cosPsi - h2 / 2) +
    fac3 * (2.5 * (H3 - 3 * L3) * cosPsi ** 3 + 1.5 * (L3 - H3) * cosPsi);
  return [0, 1, 2].map((i) => (alongBody * b.x[i]!) / b.r + (alongStation * s.x[i]!) / s.r) as unknown as Vec3;
}

/** Step 1, out of phase (mantle inelasticity), diurnal band: Δh = −0.0025, Δl = −0.0007. */
function outOfPhaseDiurnal(s: Station, b: Body): Vec3 {
  const [dh, dl] = [-0.0025, -0.0007];
  const term = (b.fac2 * b.x[2] * (b.x[0] * s.sinLa - b.x[1] * s.cosLa)) / b.r ** 2;
  const termE = (b.fac2 * b.x[2] * (b.x[0] * s.cosLa + b.x[1] * s.sinLa)) / b.r ** 2;
  const cos2Phi = s.cosPhi ** 2 - s.sinPhi ** 2;
  return fromLocal(s, -3 * dh * s.sinPhi * s.cosPhi * term, -3 * dl * cos2Phi * term, -3 * dl * s.sinPhi * termE);
}

/** Step 1, out of phase, semidiurnal band: Δh = −0.0022, Δl = −0.0007. */
function outOfPhaseSemidiurnal(s: Station, b: Body): Vec3 {
  const [dh, dl] = [-0.0022, -0.0007];
  const cos2La = s.cosLa ** 2 - s.sinLa ** 2;
  const sin2La = 2 * s.cosLa * s.sinLa;
  const [x, y] = [b.x[0], b.x[1]];
  const sinTerm = (b.fac2 * ((x * x - y * y) * sin2La - 2 * x * y * cos2La)) / b.r ** 2;
  const cosTerm = (b.fac2 * ((x * x - y * y) * cos2La + 2 * x * y * sin2La)) / b.r ** 2;
  return fromLocal(
    s,
    -0.75 * dh * s.cosPhi ** 2 * sinTerm,
    1.5 * dl * s.sinPhi * s.cosPhi * sinTerm,
    -1.5 * dl * s.cosPhi * cosTerm,
  );
}

/** Step 1, the latitude dependence of l (l⁽¹⁾): 0.0012 diurnal, 0.0024 semidiurnal. */
function latitudeDependence(s: Station, b: Body): Vec3 {
  const diurnal = 0.0012;
  const semidiurnal = 0.0024;
  const [x, y, z] = b.x;
  const r2 = b.r ** 2;
  const dn1 = (-diurnal * s.sinPhi ** 2 * b.fac2 * z * (x * s.cosLa + y * s.sinLa)) / r2;
  const de1 = (diurnal * s.sinPhi * (s.cosPhi ** 2 - s.sinPhi ** 2) * b.fac2 * z * (x * s.sinLa - y * s.cosLa)) / r2;
  const cos2La = s.cosLa ** 2 - s.sinLa ** 2;
  const sin2La = 2 * s.cosLa * s.sinLa;
  const dn2 =
    ((-semidiurnal / 2) * s.sinPhi * s.cosPhi * b.fac2 * ((x * x - y * y) * cos2La + 2 * x * y * sin2La)) / r2;
  const de2 =
    ((-semidiurnal / 2) * s.sinPhi ** 2 * s.cosPhi * b.fac2 * ((x * x - y * y) * sin2La - 2 * x * y * cos2La)) / r2;
  return fromLocal(s, 0, 3 * (dn1 + dn2), 3 * (de1 + de2));
}

/**
 * Doodson-like arguments (degrees) of the step-2 constituents at `t` Julian centuries of TT and `hours` of the TT
 * day: the Moon's mean longitude s, the Sun's h, the lunar perigee p, the negative lunar node N′ and the solar
 * perigee ps, and τ (mean lunar time) for the diurnal band. `t` counts from MJD 51544.0 (2000-01-01 0h), as in
 * solid and the IERS routine it follows, not from J2000.0 noon.
 */
function fundamentalArguments(
  t: number,
  hours: number,
): { tau: number; s: number; h: number; p: number; zns: number; ps: number } {
  const t2 = t * t;
  const t3 = t2 * t;
  const t4 = t3 * t;
  const s0 = 218.31664563 + 481267.88194 * t - 0.0014663889 * t2 + 0.00000185139 * t3;
  const tau = hours * 15 + 280.4606184 + 36000.7700536 * t + 0.00038793 * t2 - 0.0000000258 * t3 - s0;
  const s = s0 + 1.396971278 * t + 0.000308889 * t2 + 0.000000021 * t3 + 0.000000007 * t4;
  const h = 280.46645 + 36000.7697489 * t + 0.00030322222 * t2 + 0.00000002 * t3 - 0.00000000654 * t4;
  const p = 83.35324312 + 4069.01363525 * t - 0.01032172222 * t2 - 0.0000124991 * t3 + 0.00000005263 * t4;
  const zns = 234.95544499 + 1934.13626197 * t - 0.00207561111 * t2 - 0.00000213944 * t3 + 0.0000000165 * t4;
  const ps = 282.93734098 + 1.71945766667 * t + 0.00045688889 * t2 - 0.00000001778 * t3 - 0.00000000334 * t4;
  return { tau: tau % 360, s: s % 360, h: h % 360, p: p % 360, zns: zns % 360, ps: ps % 360 };
}

/**
 * IERS Conventions 2003 table 7.5a (2010 table 7.3a): the diurnal constituents' multipliers of s, h, p, N′, ps and
 * the corrections ΔR in phase and out of phase, ΔT in phase and out of phase, in millimetres — the rows solid uses
 * (the published table, with V. Dehant's 2007 fix of the ψ1-neighbour row).
 */
const DIURNAL: readonly (readonly [number, number, number, number, number, number, number, number, number])[] = [
  [-3, 0, 2, 0, 0, -0.01, -0.01, 0, 0],
  [-3, 2, 0, 0, 0, -0.01, -0.01, 0, 0],
  [-2, 0, 1, -1, 0, -0.02, -0.01, 0, 0],
  [-2, 0, 1, 0, 0, -0.08, 0, 0.01, 0.01],
  [-2, 2, -1, 0, 0, -0.02, -0.01, 0, 0],
  [-1, 0, 0, -1, 0, -0.1, 0, 0, 0],
  [-1, 0, 0, 0, 0, -0.51, 0, -0.02, 0.03],
  [-1, 2, 0, 0, 0, 0.01, 0, 0, 0],
  [0, -2, 1, 0, 0, 0.01, 0, 0, 0],
  [0, 0, -1, 0, 0, 0.02, 0.01, 0, 0],
  [0, 0, 1, 0, 0, 0.06, 0, 0, 0],
  [0, 0, 1, 1, 0, 0.01, 0, 0, 0],
  [0, 2, -1, 0, 0, 0.01, 0, 0, 0],
  [1, -3, 0, 0, 1, -0.06, 0, 0, 0],
  [1, -2, 0, 1, 0, 0.01, 0, 0, 0],
  [1, -2, 0, 0, 0, -1.23, -0.07, 0.06, 0.01],
  [1, -1, 0, 0, -1, 0.02, 0, 0, 0],
  [1, -1, 0, 0, 1, 0.04, 0, 0, 0],
  [1, 0, 0, -1, 0, -0.22, 0.01, 0.01, 0],
  [1, 0, 0, 0, 0, 12.0, -0.78, -0.67, -0.03],
  [1, 0, 0, 1, 0, 1.73, -0.12, -0.1, 0],
  [1, 0, 0, 2, 0, -0.04, 0, 0, 0],
  [1, 1, 0, 0, -1, -0.5, -0.01, 0.03, 0],
  [1, 1, 0, 0, 1, 0.01, 0, 0, 0],
  [1, 1, 0, 1, -1, -0.01, 0, 0, 0],
  [1, 2, -2, 0, 0, -0.01, 0, 0, 0],
  [1, 2, 0, 0, 0, -0.11, 0.01, 0.01, 0],
  [2, -2, 1, 0, 0, -0.01, 0, 0, 0],
  [2, 0, -1, 0, 0, -0.02, 0.02, 0, 0.01],
  [3, 0, 0, 0, 0, 0, 0.01, 0, 0.01],
  [3, 0, 0, 1, 0, 0, 0.01, 0, 0],
];

/**
 * IERS Conventions 2003 table 7.5b (2010 table 7.3b): the long-period constituents, in the column order solid
 * reads them: ΔR in phase, ΔT in phase, ΔR out of phase, ΔT out of phase (mm).
 */
const LONG_PERIOD: readonly (readonly [number, number, number, number, number, number, number, number, number])[] = [
  [0, 0, 0, 1, 0, 0.47, 0.23, 0.16, 0.07],
  [0, 2, 0, 0, 0, -0.2, -0.12, -0.11, -0.05],
  [1, 0, -1, 0, 0, -0.11, -0.08, -0.09, -0.04],
  [2, 0, 0, 0, 0, -0.13, -0.11, -0.15, -0.07],
  [2, 0, 0, 1, 0, -0.05, -0.05, -0.06, -0.03],
];

type Arguments = ReturnType<typeof fundamentalArguments>;
const phaseOf = (row: readonly number[], a: Arguments): number =>
  row[0]! * a.s + row[1]! * a.h + row[2]! * a.p + row[3]! * a.zns + row[4]! * a.ps;

/** Step 2, diurnal band (frequency dependence of the Love numbers), metres. */
function diurnalBand(s: Station, a: Arguments): Vec3 {
  const longitude = Math.atan2(s.x[1], s.x[0]);
  let total: Vec3 = [0, 0, 0];
  for (const row of DIURNAL) {
    const theta = (a.tau + phaseOf(row, a)) * DEG + longitude;
    const [rIn, rOut, tIn, tOut] = [row[5], row[6], row[7], row[8]];
    const dr = 2 * s.sinPhi * s.cosPhi * (rIn * Math.sin(theta) + rOut * Math.cos(theta));
    const dn = (s.cosPhi ** 2 - s.sinPhi ** 2) * (tIn * Math.sin(theta) + tOut * Math.cos(theta));
    const de = s.sinPhi * (tIn * Math.cos(theta) - tOut * Math.sin(theta));
    total = add(total, fromLocal(s, dr / 1000, dn / 1000, de / 1000));
  }
  return total;
}

/** Step 2, long-period band, metres. */
function longPeriodBand(s: Station, a: Arguments): Vec3 {
  let total: Vec3 = [0, 0, 0];
  for (const row of LONG_PERIOD) {
    const theta = phaseOf(row, a) * DEG;
    const [rIn, tIn, rOut, tOut] = [row[5], row[6], row[7], row[8]];
    const dr = ((3 * s.sinPhi ** 2 - 1) / 2) * (rIn * Math.cos(theta) + rOut * Math.sin(theta));
    const dn = 2 * s.cosPhi * s.sinPhi * (tIn * Math.cos(theta) + tOut * Math.sin(theta));
    total = add(total, fromLocal(s, dr / 1000, dn / 1000, 0));
  }
  return total;
}

/** Earth-fixed displacement (metres) of the station at `x` (metres, Earth-fixed) at a UTC epoch (seconds). */
export function solidTideDisplacement(x: Vec3, utcSeconds: number): Vec3 {
  const station = stationOf(x);
  const bodies = [bodyOf(sunPosition(utcSeconds), MASS_RATIO_SUN), bodyOf(moonPosition(utcSeconds), MASS_RATIO_MOON)];
  let total: Vec3 = [0, 0, 0];
  for (const body of bodies) {
    total = add(total, inPhase(station, body));
    total = add(total, outOfPhaseDiurnal(station, body));
    total = add(total, outOfPhaseSemidiurnal(station, body));
    total = add(total, latitudeDependence(station, body));
  }
  const tt = ttMjd(utcSeconds);
  const args = fundamentalArguments((tt - 51544) / 36525, (tt - Math.floor(tt)) * 24);
  return add(add(total, diurnalBand(station, args)), longPeriodBand(station, args));
}

/** East, north and up displacement (metres) at geodetic (lat, lon) on the ellipsoid at a UTC epoch (seconds). */
export function solidTideEnu(lat: number, lon: number, utcSeconds: number): [number, number, number] {
  const total = solidTideDisplacement(llhToXyz(lat, lon, 0), utcSeconds);
  const up = normalAt(lat, lon);
  const east = unit(cross([0, 0, 1], up));
  const north = cross(up, east);
  return [dot(total, east), dot(total, north), dot(total, up)];
}
