import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SENTINEL1_WAVELENGTH_M } from './missions.js';

/**
 * What the ionosphere steps did, as the product's attributes state it. `ion/ion_param.json` is ISCE2's own
 * ionosphere set-up (written by templates/ion_substep.py); `ion/gunw-ionosphere.json` is written last by the
 * processor and read by packaging. Both come from files in a work directory, so both are validated.
 */

export const ION_PARAMETERS_FILE = join('ion', 'ion_param.json');
export const IONOSPHERE_RECORD_FILE = join('ion', 'gunw-ionosphere.json');

export const ionParametersSchema = z.object({
  radarWavelength: z.number().positive().max(1),
  calIonWithMerged: z.boolean(),
  rampRemovel: z.number().int().min(-1).max(1),
  numberRangeLooks: z.number().int().positive(),
  numberAzimuthLooks: z.number().int().positive(),
  numberRangeLooks0: z.number().int().positive(),
  numberAzimuthLooks0: z.number().int().positive(),
  ionHeight: z.number().nonnegative(),
  ionFit: z.boolean(),
  ionFilteringWinsizeMax: z.number().int().min(1).max(2000),
  ionFilteringWinsizeMin: z.number().int().min(1).max(2000),
  allSteps: z.array(z.string().max(64)).max(20),
});
export type IonParameters = z.infer<typeof ionParametersSchema>;

/** ISCE2's ionosphere set-up with its defaults, as the plugin runs it, for a pair of one mission over three swaths. */
export const ISCE2_ION_DEFAULTS: IonParameters = {
  radarWavelength: SENTINEL1_WAVELENGTH_M,
  calIonWithMerged: true,
  rampRemovel: 0,
  numberRangeLooks: 200,
  numberAzimuthLooks: 50,
  numberRangeLooks0: 40,
  numberAzimuthLooks0: 10,
  ionHeight: 200000,
  ionFit: true,
  ionFilteringWinsizeMax: 200,
  ionFilteringWinsizeMin: 100,
  allSteps: ['subband', 'rawion', 'grd2ion', 'filt_gaussian', 'ionosphere_shift', 'ion2grd', 'esd'],
};

export const SWATH_BOXES_FILE = join('ion', 'swath_boxes.json');

const box = z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]);
export const swathBoxesSchema = z
  .object({
    swaths: z.array(z.number().int().min(1).max(3)).min(2).max(3),
    burstValidBox: z.array(z.array(box).max(100)).max(3),
  })
  .refine((b) => b.swaths.length === b.burstValidBox.length, 'one list of burst boxes per swath');
export type SwathBoxes = z.infer<typeof swathBoxesSchema>;

export function readSwathBoxes(workdir: string): SwathBoxes {
  const path = join(workdir, SWATH_BOXES_FILE);
  if (!existsSync(path))
    throw new Error(`${path} is missing: the ionosphere merge step (ion_substep.py swath_boxes) writes it`);
  return readJson(path, swathBoxesSchema, 'the swaths and burst boxes of the swath-by-swath ionosphere');
}

export const SWATH_MODE_DESCRIPTION =
  'raw_ion ionosphere calculation done per swath rather per scene to adjust for misaligment between swaths when ' +
  'doing processing on cross Sentinel 1A/B pair or when there is a different starting range between reference ' +
  'and secondary image';

export const ionosphereRecordSchema = z.object({
  ionosphere: z.object({
    processing_steps: z.array(z.string().max(64)).max(20),
    water_mask: z.string().max(4096),
    mask_connected_component_zero: z.enum(['True', 'False']),
    do_phase_bridging: z.enum(['True', 'False']),
    swath_mode: z.enum(['True', 'False']),
    swath_ramp_removal: z.enum(['True', 'False']),
    swath_mode_description: z.string().max(1000),
    multilook_az_rg1: z.tuple([z.number().int(), z.number().int()]),
    multilook_az_rg2: z.tuple([z.number().int(), z.number().int()]),
    iono_height: z.number(),
  }),
  ionosphereBurstRamps: z.object({ processing_steps: z.array(z.string().max(64)).max(20) }),
});
export type IonosphereRecord = z.infer<typeof ionosphereRecordSchema>;

function readJson<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${what} is not readable JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new Error(
      `${path}: ${what} is not as expected (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`,
    );
  return parsed.data;
}

export function readIonParameters(workdir: string): IonParameters {
  const path = join(workdir, ION_PARAMETERS_FILE);
  if (!existsSync(path))
    throw new Error(`${path} is missing: the ionosphere sub-band step (templates/ion_substep.py subband) writes it`);
  return readJson(path, ionParametersSchema, "ISCE2's ionosphere set-up");
}

export function readIonosphereRecord(workdir: string): IonosphereRecord | null {
  const path = join(workdir, IONOSPHERE_RECORD_FILE);
  return existsSync(path) ? readJson(path, ionosphereRecordSchema, 'the record of the ionosphere steps') : null;
}

const flag = (value: boolean): 'True' | 'False' => (value ? 'True' : 'False');

/** The attributes, as the plugin words them (its `iono_processing` return value). */
export function ionosphereRecord(
  parameters: IonParameters,
  done: { readonly waterMask: string | null; readonly bridged: boolean; readonly maskedComponentZero: boolean },
): IonosphereRecord {
  // The plugin skips grd2ion (the filter works on the raw ionosphere not projected to the ionospheric layer).
  const steps = parameters.allSteps.filter((s) => s !== 'grd2ion');
  return {
    ionosphere: {
      processing_steps: [...steps.slice(0, 3), 'geocode'],
      // The plugin writes str(mask_filename): 'None' without a mask.
      water_mask: done.waterMask ?? 'None',
      mask_connected_component_zero: flag(done.maskedComponentZero),
      do_phase_bridging: flag(done.bridged),
      swath_mode: flag(!parameters.calIonWithMerged),
      swath_ramp_removal: flag(parameters.rampRemovel !== 0),
      swath_mode_description: SWATH_MODE_DESCRIPTION,
      multilook_az_rg1: [parameters.numberAzimuthLooks, parameters.numberRangeLooks],
      multilook_az_rg2: [parameters.numberAzimuthLooks0, parameters.numberRangeLooks0],
      iono_height: parameters.ionHeight,
    },
    ionosphereBurstRamps: { processing_steps: [...steps, 'geocode'] },
  };
}
