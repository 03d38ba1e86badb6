import semver from 'semver';
import type { SceneName } from './scenes.js';

/**
 * What differs between the Sentinel-1 satellites for this processor: from when their products are calibrated (the
 * plugin refuses earlier Sentinel-1C and 1D scenes), where their calibration files (AUX_CAL) come from, and the
 * first ISCE2 that reads their scenes (ISCE2 derives the track from the absolute orbit with a per-mission offset and
 * stops with "Encountered unknown mission id" for a mission it does not know).
 */

export type Mission = SceneName['mission'];

/** The C-band radar wavelength of every Sentinel-1 (5.405 GHz), in metres, as ISCE2 reads it from the annotation. */
export const SENTINEL1_WAVELENGTH_M = 0.05546576;

export interface MissionFacts {
  readonly name: string;
  /** The first day (UTC) whose products are calibrated; earlier ones are refused. */
  readonly calibratedFrom: string | null;
  readonly calibrationNote: string | null;
  /** ASF's bundle of every AUX_CAL of the mission (hyp3-isce2's and the plugin's source), when there is one. */
  readonly auxCalBundle: string | null;
  /** The ISCE2 change that first reads the mission's scenes and its release (null: none yet); null for any ISCE2. */
  readonly isce2: { readonly release: string | null; readonly change: string } | null;
}

const ASF_AUX_CAL = 'https://d3g9emy65n853h.cloudfront.net/AUX_CAL';

export const MISSIONS: Readonly<Record<Mission, MissionFacts>> = {
  A: {
    name: 'Sentinel-1A',
    calibratedFrom: null,
    calibrationNote: null,
    auxCalBundle: `${ASF_AUX_CAL}/S1A_AUX_CAL_20241128.zip`,
    isce2: null,
  },
  B: {
    name: 'Sentinel-1B',
    calibratedFrom: null,
    calibrationNote: null,
    auxCalBundle: `${ASF_AUX_CAL}/S1B_AUX_CAL_20241128.zip`,
    isce2: null,
  },
  C: {
    name: 'Sentinel-1C',
    // https://sentinels.copernicus.eu/-/sentinel-1c-products-are-now-calibrated
    calibratedFrom: '2025-05-19',
    calibrationNote: 'ESA announced Sentinel-1C products calibrated from 2025-05-19',
    auxCalBundle: null,
    isce2: { release: '2.6.4', change: 'isce-framework/isce2#951 (Sentinel-1C relative orbit), released in 2.6.4' },
  },
  D: {
    name: 'Sentinel-1D',
    calibratedFrom: '2026-06-24',
    calibrationNote: 'the production plugin accepts Sentinel-1D products from 2026-06-24',
    auxCalBundle: null,
    isce2: {
      release: null,
      change:
        'isce-framework/isce2#28123 (Sentinel-1D relative orbit), merged after 2.6.4 and in no conda-forge release yet',
    },
  },
};

/** The missions of a set of scenes, in order A, B, C, D. */
export function missionsOf(scenes: readonly Pick<SceneName, 'mission'>[]): Mission[] {
  return (['A', 'B', 'C', 'D'] as const).filter((m) => scenes.some((s) => s.mission === m));
}

/** Scenes acquired before their mission's products were calibrated, one sentence per mission. */
export function uncalibratedScenes(scenes: readonly SceneName[]): string[] {
  const problems: string[] = [];
  for (const mission of missionsOf(scenes)) {
    const { name, calibratedFrom, calibrationNote } = MISSIONS[mission];
    if (!calibratedFrom) continue;
    const early = scenes.filter((s) => s.mission === mission && s.start.toISOString().slice(0, 10) < calibratedFrom);
    if (early.length > 0)
      problems.push(
        `the ${name} scenes ${early.map((s) => s.name).join(', ')} were acquired before ${calibratedFrom} (${calibrationNote}); choose later dates`,
      );
  }
  return problems;
}

/** What ISCE2 must be for these missions. */
export interface Isce2Requirement {
  /** The missions that need more than any ISCE2. */
  readonly missions: readonly string[];
  /** The oldest release that reads every mission; null when any ISCE2 does, or when no release does yet. */
  readonly minimum: string | null;
  /** False when a mission needs a change no ISCE2 release has. */
  readonly released: boolean;
  readonly changes: readonly string[];
}

export function isce2RequirementOf(missions: readonly Mission[]): Isce2Requirement {
  const needs = missions.map((m) => MISSIONS[m]).filter((f) => f.isce2 !== null);
  const releases = needs.map((f) => f.isce2!.release);
  const released = !releases.includes(null);
  return {
    missions: needs.map((f) => f.name),
    minimum: released ? ((releases as string[]).sort(semver.rcompare)[0] ?? null) : null,
    released,
    changes: needs.map((f) => f.isce2!.change),
  };
}
