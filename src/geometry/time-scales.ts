/**
 * UTC to TT for the tide model: TT − UTC = 32.184 s + (TAI − UTC), the leap seconds announced in IERS Bulletin C,
 * taken for the UTC day (as Milbert's solid.f, which PySolid wraps, does). No leap second has been added since
 * 2017-01-01; a later one would be appended here.
 */

/** Modified Julian Days of the UTC days from which TAI − UTC took each value (1972 onwards). */
const LEAP_SECONDS: readonly (readonly [mjd: number, taiMinusUtc: number])[] = [
  [41317, 10],
  [41499, 11],
  [41683, 12],
  [42048, 13],
  [42413, 14],
  [42778, 15],
  [43144, 16],
  [43509, 17],
  [43874, 18],
  [44239, 19],
  [44786, 20],
  [45151, 21],
  [45516, 22],
  [46247, 23],
  [47161, 24],
  [47892, 25],
  [48257, 26],
  [48804, 27],
  [49169, 28],
  [49534, 29],
  [50083, 30],
  [50630, 31],
  [51179, 32],
  [53736, 33],
  [54832, 34],
  [56109, 35],
  [57204, 36],
  [57754, 37],
];

/** MJD 0 is 1858-11-17; the Unix epoch is MJD 40587. */
export const UNIX_EPOCH_MJD = 40587;

/** The UTC day (integer MJD) and the fraction of it of a UTC epoch in seconds since 1970. */
export function utcMjd(utcSeconds: number): { mjd: number; fraction: number } {
  const days = utcSeconds / 86400;
  const whole = Math.floor(days);
  return { mjd: whole + UNIX_EPOCH_MJD, fraction: days - whole };
}

export function taiMinusUtc(mjd: number): number {
  let value = LEAP_SECONDS[0]![1];
  for (const [from, seconds] of LEAP_SECONDS) if (mjd >= from) value = seconds;
  return value;
}

export function ttMinusUtc(mjd: number): number {
  return 32.184 + taiMinusUtc(mjd);
}

/** TT as a Modified Julian Date (with its fraction) of a UTC epoch in seconds. */
export function ttMjd(utcSeconds: number): number {
  const { mjd, fraction } = utcMjd(utcSeconds);
  return mjd + fraction + ttMinusUtc(mjd) / 86400;
}
