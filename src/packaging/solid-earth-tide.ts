import { solidTideEnu } from '../geometry/solid-tide.js';
import { CUBE_NODATA, tidePoint, type GeometryCube } from './geocube.js';

/**
 * The solid Earth tide layers of a GUNW, computed as the plugin computes them: on the imaging-geometry cube, the
 * tide displacement (IERS model, solid-tide.ts) at the cell's tide point (geocube.ts `tidePoint`) at the moment each
 * date's radar saw that point, projected on the line of sight with the cube's incidence and azimuth angles
 * (positive towards the satellite) and expressed as phase, radians (displacement / (λ / 4π)). Cells without
 * geometry hold 0, the layer's fill value.
 */

export const TIDE_FILL = 0;

export function solidEarthTidePhase(cube: GeometryCube, times: Float64Array, wavelength: number): Float32Array {
  const out = new Float32Array(times.length).fill(TIDE_FILL);
  const perLevel = cube.lats.length * cube.lons.length;
  const radiansPerMetre = (4 * Math.PI) / wavelength;
  for (let at = 0; at < times.length; at++) {
    const time = times[at]!;
    const incidenceDeg = cube.incidenceAngle[at]!;
    if (!Number.isFinite(time) || incidenceDeg === CUBE_NODATA) continue;
    const cell = at % perLevel;
    const lat = cube.lats[Math.floor(cell / cube.lons.length)]!;
    const lon = cube.lons[cell % cube.lons.length]!;
    const [east, north, up] = solidTideEnu(...tidePoint(lat, lon), time);
    const incidence = (incidenceDeg * Math.PI) / 180;
    const azimuth = ((cube.azimuthAngle[at]! - 90) * Math.PI) / 180;
    const los =
      east * (-Math.sin(incidence) * Math.sin(azimuth)) +
      north * (Math.sin(incidence) * Math.cos(azimuth)) +
      up * Math.cos(incidence);
    out[at] = los * radiansPerMetre;
  }
  return out;
}
