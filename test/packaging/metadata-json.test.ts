import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { metadataJson } from '../../src/packaging/metadata-json.js';
import type { SceneProperties } from '../../src/io/cmr.js';

const Ajv = AjvModule.default;

/** A Sentinel-1C scene's ASF properties as CMR gives them (frame 18830, a pass across midnight). */
function scene(name: string, start: string, stop: string, orbit: number, platform = 'Sentinel-1C'): SceneProperties {
  return {
    sceneName: name,
    fileID: `${name}-SLC`,
    startTime: start,
    stopTime: stop,
    flightDirection: 'ASCENDING',
    pathNumber: 121,
    processingLevel: 'SLC',
    platform,
    beamModeType: 'IW',
    polarization: 'VV+VH',
    orbit,
    url: `https://datapool.asf.alaska.edu/SLC/SC/${name}.zip`,
    fileName: `${name}.zip`,
    bytes: 4_000_000_000,
  };
}

describe('the delivery metadata JSON of a Sentinel-1C pair', () => {
  it('names the satellites from the scene names, in the form the ingest schema (with 1C and 1D) accepts', () => {
    const reference = [
      scene(
        'S1C_IW_SLC__1SDV_20250611T235952_20250612T000019_002742_005A5F_F563',
        '2025-06-11T23:59:52Z',
        '2025-06-12T00:00:19Z',
        2742,
        // What a server says is not what names the satellite: the checked scene name is.
        'SENTINEL-1C',
      ),
    ];
    const secondary = [
      scene(
        'S1C_IW_SLC__1SDV_20250530T235952_20250531T000019_002567_00554C_911F',
        '2025-05-30T23:59:52Z',
        '2025-05-31T00:00:19Z',
        2567,
      ),
    ];
    const json = metadataJson({
      productId: 'S1-GUNW-A-R-121-tops-20250612_20250531-000005-00093W_00030N-PP-7f1e-v3_0_1',
      datasetVersion: '3.0.1',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [-93, 29.7],
            [-89.5, 29.7],
            [-89.5, 31.5],
            [-93, 31.5],
            [-93, 29.7],
          ],
        ],
      },
      extent: [-93, 29.7, -89.5, 31.5],
      frameId: 18830,
      scenes: { reference, secondary },
      referenceNames: reference.map((s) => s.sceneName),
      secondaryNames: secondary.map((s) => s.sceneName),
      perpendicularBaseline: -12.34567,
      now: new Date('2026-12-06T12:00:00Z'),
    }) as { metadata: Record<string, unknown> };
    expect(json.metadata).toMatchObject({
      platform: ['Sentinel-1C', 'Sentinel-1C'],
      orbit_number: [2742, 2567],
      track_number: 121,
      temporal_baseline_days: 12,
      frame_number: 18830,
    });
    // The plugin's ingest schema lists Sentinel-1A and 1B; its Sentinel-1D change (DockerizedTopsApp #252) adds 1C/1D.
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/gunw/gunw_schema.json'), 'utf8'));
    const text = JSON.stringify(schema).replace(
      '["Sentinel-1A","Sentinel-1B"]',
      '["Sentinel-1A","Sentinel-1B","Sentinel-1C","Sentinel-1D"]',
    );
    expect(text).not.toBe(JSON.stringify(schema));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(text));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });
});
