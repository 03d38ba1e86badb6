import { describe, expect, it } from 'vitest';
import { llhToXyz, norm, sub, xyzToLlh } from '../../src/geometry/ellipsoid.js';
import { Orbit } from '../../src/geometry/orbit.js';
import { geo2rdr, rdr2geo, viewAngles } from '../../src/geometry/radar.js';
import { utmAzimuth, utmForward, utmZone } from '../../src/geometry/utm.js';
import { moonPosition, siderealAngle, sunPosition } from '../../src/geometry/ephemeris.js';
import { solidTideEnu } from '../../src/geometry/solid-tide.js';
import { cubeAxes } from '../../src/packaging/geocube.js';
import { syntheticOrbit } from '../../src/sample/isce/orbit.js';

const MID = Date.parse('2022-02-12T22:28:29Z') / 1000;
const orbit = new Orbit(syntheticOrbit({ midTime: MID, nadirLat: 46.83, nadirLon: -76.05, ascending: true }));

describe('WGS84', () => {
  it('converts geodetic and ECEF coordinates both ways', () => {
    expect(llhToXyz(0, 0, 0)).toEqual([6378137, 0, 0]);
    expect(llhToXyz(90, 0, 0)[2]).toBeCloseTo(6356752.314245, 5);
    for (const [lat, lon, h] of [
      [47.5, -70.2, 123.4],
      [-33.9, 151.2, 5],
      [0.001, 179.999, 700000],
    ] as const) {
      const [a, b, c] = xyzToLlh(llhToXyz(lat, lon, h));
      expect(a).toBeCloseTo(lat, 9);
      expect(b).toBeCloseTo(lon, 9);
      expect(c).toBeCloseTo(h, 4);
    }
  });
});

describe('UTM', () => {
  it('puts the central meridian at easting 500 km and the 45° parallel at k0 × the meridian arc', () => {
    expect(utmZone(-70.2)).toBe(19);
    const [e, n] = utmForward(45, -69, 19);
    expect(e).toBeCloseTo(500000, 6);
    expect(n).toBeCloseTo(0.9996 * 4984944.378, 0);
  });

  it('measures azimuths counter-clockwise from grid east', () => {
    expect(utmAzimuth([47, -69], [48, -69])).toBeCloseTo(90, 6);
    expect(utmAzimuth([47, -69], [47, -70])).toBeCloseTo(180, 0);
  });
});

describe('orbit and radar geometry', () => {
  it('interpolates exactly through the state vectors and smoothly between them', () => {
    const vector = orbit.vectors[5]!;
    expect(orbit.at(vector.time).position).toEqual(vector.position);
    const { position, velocity } = orbit.at(MID + 3.7);
    const ahead = orbit.at(MID + 3.701).position;
    expect(norm(sub(sub(ahead, position), velocity.map((v) => v * 0.001) as [number, number, number]))).toBeLessThan(
      0.01,
    );
    expect(() => orbit.at(MID + 1000)).toThrow(/outside the orbit's state vectors/);
  });

  it('inverts: rdr2geo then geo2rdr returns the azimuth time and slant range', () => {
    for (const [dt, range, height] of [
      [-10, 820000, 0],
      [5, 900000, 1500],
      [12, 940000, -100],
    ] as const) {
      const [lat, lon] = rdr2geo(orbit, MID + dt, range, height);
      const back = geo2rdr(orbit, llhToXyz(lat, lon, height));
      expect(back.time - MID).toBeCloseTo(dt, 5);
      expect(back.range).toBeCloseTo(range, 2);
    }
  });

  it('looks right of an ascending track at incidence angles Sentinel-1 uses', () => {
    const [lat, lon] = rdr2geo(orbit, MID, 870000, 0);
    const satellite = orbit.at(MID).position;
    expect(lon).toBeGreaterThan(xyzToLlh(satellite)[1]);
    const { look, incidence } = viewAngles(satellite, llhToXyz(lat, lon, 0));
    expect(incidence).toBeGreaterThan(look);
    expect(incidence).toBeGreaterThan(30);
    expect(incidence).toBeLessThan(46);
  });

  it('lays the imaging-geometry cube grid out as the original did (truncate, 2 cells before, 3 after)', () => {
    const { lons, lats } = cubeAxes([
      [47.24, -71.18],
      [48.93, -67.66],
    ]);
    expect(lons[0]).toBe(-71.3);
    expect(lons.at(-1)).toBe(-67.3);
    expect(lats[0]).toBe(49.2);
    expect(lats.at(-1)).toBe(47);
  });
});

describe('Sun, Moon and solid Earth tides', () => {
  const t = Date.parse('2022-02-12T22:28:29Z') / 1000;

  it('places the Sun and the Moon where they were', () => {
    expect((siderealAngle(Date.parse('2000-01-01T12:00:00Z') / 1000) * 180) / Math.PI).toBeCloseTo(280.46061837, 6);
    const [sunLat, sunLon] = xyzToLlh(sunPosition(t));
    // Declination on 12 February is about -13.6°; at 22:28 UTC the Sun culminates near 153.6° W.
    expect(sunLat).toBeCloseTo(-13.5, 0);
    expect(sunLon).toBeCloseTo(-153.6, 0);
    const distance = norm(moonPosition(t));
    expect(distance).toBeGreaterThan(356_000_000);
    expect(distance).toBeLessThan(407_000_000);
  });

  it('lifts the ground under the Moon by about 20 cm and lowers it a quarter circle away', () => {
    const [lat, lon] = xyzToLlh(moonPosition(t));
    const [east, north, up] = solidTideEnu(lat, lon, t);
    expect(up).toBeGreaterThan(0.15);
    expect(up).toBeLessThan(0.35);
    expect(Math.hypot(east, north)).toBeLessThan(up);
    const quarter = solidTideEnu(lat - 90 < -90 ? lat + 90 : lat - 90, lon, t)[2];
    expect(quarter).toBeLessThan(0);
  });
});
