import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { gunwBurstParameters, gunwSlcParameters, isStandardProduct, trueFalse } from '../../src/product/parameters.js';
import { parseSceneName, sceneNameProblem } from '../../src/product/scenes.js';
import { jobParametersOf, validateJob } from '../../src/processor/job-form.js';

const REF = 'S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E';
const REF2 = 'S1A_IW_SLC__1SDV_20220212T222828_20220212T222855_041886_04FCA3_A3E2';
const SEC = 'S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F';

function problems(raw: Record<string, unknown>, schema: z.ZodType = gunwSlcParameters): string[] {
  try {
    validateJob(schema, raw, 'invalid job');
  } catch (error) {
    if (error instanceof ValidationError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('scene names', () => {
  it('parses the parts of an IW SLC name', () => {
    const scene = parseSceneName(REF)!;
    expect(scene.mission).toBe('A');
    expect(scene.start.toISOString()).toBe('2022-02-12T22:28:03.000Z');
    expect(scene.absoluteOrbit).toBe(41886);
  });

  it('explains what is wrong with a name', () => {
    expect(sceneNameProblem(`${REF}.zip`)).toMatch(/without the \.zip extension/);
    expect(sceneNameProblem(REF.replace('_IW_SLC__', '_IW_GRDH_'))).toMatch(/is not an SLC scene/);
    expect(sceneNameProblem('S1A_IW_GRDH_1SDV_x')).toMatch(/expected S1\[ABCD\]_IW_SLC__1S\[SD\]\[VH\]_/);
    expect(sceneNameProblem(REF.replace('20220212T222803', '20221312T222803'))).toMatch(/not a Sentinel-1/);
    expect(sceneNameProblem(REF)).toBeNull();
  });
});

describe('gunw_slc parameters', () => {
  it('fills the documented defaults and splits space-separated scene lists', () => {
    const p = gunwSlcParameters.parse({
      reference_scenes: `${REF} ${REF2}`,
      secondary_scenes: [SEC],
      frame_id: '25502',
    });
    expect(p).toEqual({
      reference_scenes: [REF, REF2],
      secondary_scenes: [SEC],
      frame_id: 25502,
      estimate_ionosphere_delay: true,
      compute_solid_earth_tide: true,
      esd_coherence_threshold: -1,
      output_resolution: 90,
      unfiltered_coherence: true,
      dense_offsets: false,
      wrapped_phase_layer: false,
      goldstein_filter_power: 0.5,
      min_frame_coverage: 0.01,
    });
    expect(isStandardProduct(p)).toBe(true);
  });

  it('accepts true/false in any capitalisation and nothing else', () => {
    expect(['TRUE', 'False', ' true ', true].map((v) => trueFalse.parse(v))).toEqual([true, false, true, true]);
    expect(trueFalse.safeParse('yes').success).toBe(false);
    expect(trueFalse.safeParse(1).success).toBe(false);
  });

  it('names every problem by its flag, with the value and the rule', () => {
    expect(
      problems({
        reference_scenes: `${REF} bogus ${REF}`,
        secondary_scenes: SEC,
        frame_id: 'x',
        esd_coherence_threshold: 1,
        goldstein_filter_power: -0.1,
        output_resolution: 45,
        dense_offsets: 'yes',
        extra: 1,
      }),
    ).toEqual([
      '--reference-scenes: "bogus" is not a Sentinel-1 IW SLC scene name (expected S1[ABCD]_IW_SLC__1S[SD][VH]_YYYYMMDDTHHMMSS_YYYYMMDDTHHMMSS_OOOOOO_DDDDDD_XXXX)',
      `--reference-scenes: listed twice: ${REF}`,
      '--frame-id: expected a frame id (got "x")',
      '--esd-coherence-threshold: must be -1 (no ESD) or between 0 and 1 (exclusive) (got "1")',
      '--output-resolution: must be 30 or 90 (metres) (got "45")',
      '--dense-offsets: expected true or false (any capitalisation) (got "yes")',
      '--goldstein-filter-power: must be 0 or more (got "-0.1")',
      'unknown parameter --extra (see --help for the parameters)',
    ]);
    expect(problems({})).toEqual([
      '--reference-scenes is required',
      '--secondary-scenes is required',
      '--frame-id is required',
    ]);
    expect(problems({ reference_scenes: REF, secondary_scenes: SEC, frame_id: -2 })).toEqual([
      '--frame-id: a frame id from 0 to 27397, or -1 for no frame (got "-2")',
    ]);
    expect(problems({ reference_scenes: REF, secondary_scenes: SEC, frame_id: 99999 })).toEqual([
      '--frame-id: a frame id from 0 to 27397 (the ARIA frame table), or -1 for no frame (got "99999")',
    ]);
  });

  it('keeps ESD thresholds strictly inside (0, 1) or exactly -1', () => {
    const base = { reference_scenes: REF, secondary_scenes: SEC, frame_id: 1 };
    expect(problems({ ...base, esd_coherence_threshold: 0.7 })).toEqual([]);
    expect(problems({ ...base, esd_coherence_threshold: '-1' })).toEqual([]);
    expect(problems({ ...base, esd_coherence_threshold: 0 })).toHaveLength(1);
    expect(problems({ ...base, esd_coherence_threshold: -0.5 })).toHaveLength(1);
  });

  it.each([
    ['estimate_ionosphere_delay', false],
    ['frame_id', -1],
    ['compute_solid_earth_tide', false],
    ['dense_offsets', true],
    ['unfiltered_coherence', false],
    ['esd_coherence_threshold', 0.7],
    ['goldstein_filter_power', 0.6],
    ['output_resolution', 30],
  ])('makes the product custom when %s is %s', (key, value) => {
    const p = gunwSlcParameters.parse({ reference_scenes: REF, secondary_scenes: SEC, frame_id: 25502, [key]: value });
    expect(isStandardProduct(p)).toBe(false);
  });

  it('keeps the wrapped phase layer out of the standard/custom decision, like the original', () => {
    const p = gunwSlcParameters.parse({
      reference_scenes: REF,
      secondary_scenes: SEC,
      frame_id: 25502,
      wrapped_phase_layer: true,
    });
    expect(isStandardProduct(p)).toBe(true);
  });
});

describe('the JSON job form', () => {
  it("reads a HyP3 INSAR_ISCE job, mapping granules and dropping the parameters of other steps (RAiDER's weather model)", () => {
    const raw = jobParametersOf(
      {
        job_type: 'INSAR_ISCE',
        name: 'x',
        job_parameters: {
          granules: [REF],
          secondary_granules: [SEC],
          frame_id: 25502,
          weather_model: 'HRRR',
          min_frame_coverage: 0.9,
        },
      },
      'job',
    );
    expect(raw).toEqual({ reference_scenes: [REF], secondary_scenes: [SEC], frame_id: 25502, min_frame_coverage: 0.9 });
  });

  it('refuses a document that is not an object', () => {
    expect(() => jobParametersOf([1, 2], '--json-input job.json')).toThrow(
      /--json-input job.json: the job must be a JSON object/,
    );
  });
});

describe('gunw_burst parameters', () => {
  it('validates swath and burst numbers and fills the looks', () => {
    expect(
      gunwBurstParameters.parse({ reference_scene: REF, secondary_scene: SEC, image_number: '2', burst_number: 4 }),
    ).toEqual({
      reference_scene: REF,
      secondary_scene: SEC,
      image_number: 2,
      burst_number: 4,
      azimuth_looks: 2,
      range_looks: 10,
      estimate_ionosphere_delay: false,
    });
    expect(
      problems(
        { reference_scene: REF, secondary_scene: `${SEC}.zip`, image_number: 4, burst_number: 0, range_looks: 1.5 },
        gunwBurstParameters,
      ),
    ).toEqual([
      `--secondary-scene: "${SEC}.zip": give the scene name without the .zip extension`,
      '--image-number: an IW swath: 1, 2 or 3 (got "4")',
      '--burst-number: bursts are numbered from 1 (got "0")',
      '--range-looks: a whole number of looks (got "1.5")',
    ]);
  });
});
