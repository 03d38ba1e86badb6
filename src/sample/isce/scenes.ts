import type { AsfProduct } from '../../io/cmr.js';
import type { Frame } from '../../product/frames.js';

/**
 * The README pair of the original plugin (frame 25502, track 164, ascending, 2022-02-12 / 2022-01-31) as ASF
 * search would describe it: the scenes and the frame the sample topsApp directory is made for.
 */

function scene(name: string, start: string, stop: string, orbit: number, polygon: [number, number][]): AsfProduct {
  return {
    properties: {
      sceneName: name,
      fileID: `${name}-SLC`,
      startTime: start,
      stopTime: stop,
      flightDirection: 'ASCENDING',
      pathNumber: 164,
      processingLevel: 'SLC',
      platform: 'Sentinel-1A',
      beamModeType: 'IW',
      polarization: 'VV+VH',
      orbit,
      url: `https://datapool.asf.alaska.edu/SLC/SA/${name}.zip`,
      fileName: `${name}.zip`,
      bytes: 4_193_723_581,
    },
    geometry: [[...polygon, polygon[0]!]],
  };
}

const SOUTH: [number, number][] = [
  [-72.05, 46.02],
  [-68.42, 46.45],
  [-68.02, 48.12],
  [-71.74, 47.69],
];
const NORTH: [number, number][] = [
  [-71.78, 47.51],
  [-68.06, 47.94],
  [-67.63, 49.61],
  [-71.44, 49.18],
];
const shifted = (polygon: [number, number][]): [number, number][] => polygon.map(([x, y]) => [x + 0.01, y + 0.005]);

export const SAMPLE_REFERENCE: readonly AsfProduct[] = [
  scene(
    'S1A_IW_SLC__1SDV_20220212T222828_20220212T222855_041886_04FCA3_A3E2',
    '2022-02-12T22:28:28Z',
    '2022-02-12T22:28:55Z',
    41886,
    NORTH,
  ),
  scene(
    'S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E',
    '2022-02-12T22:28:03Z',
    '2022-02-12T22:28:30Z',
    41886,
    SOUTH,
  ),
];

export const SAMPLE_SECONDARY: readonly AsfProduct[] = [
  scene(
    'S1A_IW_SLC__1SDV_20220131T222828_20220131T222855_041711_04F690_28D7',
    '2022-01-31T22:28:28Z',
    '2022-01-31T22:28:55Z',
    41711,
    shifted(NORTH),
  ),
  scene(
    'S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F',
    '2022-01-31T22:28:03Z',
    '2022-01-31T22:28:30Z',
    41711,
    shifted(SOUTH),
  ),
];

const ring = (points: [number, number][]): [number, number][][] => [[...points, points[0]!]];

export const SAMPLE_FRAME: Frame = {
  id: 25502,
  footprint: [
    ring([
      [-71.18, 47.24],
      [-67.98, 47.58],
      [-67.66, 48.93],
      [-70.89, 48.59],
    ]),
  ],
  processing: [
    ring([
      [-71.3, 47.2],
      [-67.6, 47.2],
      [-67.6, 48.7],
      [-71.3, 48.7],
    ]),
  ],
  tracks: [164],
  direction: 'ASCENDING',
};
