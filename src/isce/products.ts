import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Orbit, type StateVector } from '../geometry/orbit.js';
import type { Vec3 } from '../geometry/ellipsoid.js';
import { IsceComponent, isceNumberList, isceTime } from './component.js';
import { descendants, parseXml } from './xml.js';

/**
 * What packaging needs from ISCE2's processing products: per swath (`reference/IW1.xml`, `fine_interferogram/IW2.xml`,
 * ...), the radar parameters of the first burst, the timing and range extent over all bursts and the orbit; from
 * `topsProc.xml`, the baselines and the ISCE version.
 */

export interface BurstSummary {
  readonly sensingStart: number;
  readonly sensingStop: number;
  readonly startingRange: number;
  readonly farRange: number;
}

export interface SwathProduct {
  readonly source: string;
  readonly swath: number;
  readonly wavelength: number;
  readonly azimuthTimeInterval: number;
  readonly rangePixelSize: number;
  readonly passDirection: string;
  readonly bursts: readonly BurstSummary[];
  readonly orbit: Orbit;
  /** Where the orbit came from (`Annotation`, or the orbit file ISCE read). */
  readonly orbitSource: string;
}

function stateVectors(orbit: IsceComponent): StateVector[] {
  const sequence = orbit.requiredComponent('state_vectors');
  return sequence
    .components()
    .filter((c) => /^statevector\d+$/i.test(c.element.attributes.name ?? ''))
    .map((c) => ({
      time: isceTime(c.required('time'), c.source),
      position: isceNumberList(c.required('position'), c.source) as Vec3,
      velocity: isceNumberList(c.required('velocity'), c.source) as Vec3,
    }));
}

export function readSwathProduct(path: string): SwathProduct {
  const root = IsceComponent.read(path);
  const instance = root.requiredComponent('instance');
  const bursts = instance
    .requiredComponent('bursts')
    .components()
    .filter((c) => /^burst\d+$/i.test(c.element.attributes.name ?? ''))
    .sort((a, b) => Number(a.element.attributes.name!.slice(5)) - Number(b.element.attributes.name!.slice(5)));
  const first = bursts[0];
  if (!first) throw new Error(`${path}: no bursts`);
  const orbit = first.requiredComponent('orbit');
  return {
    source: path,
    swath: first.number('swathnumber'),
    wavelength: first.number('radarwavelength'),
    azimuthTimeInterval: first.number('azimuthtimeinterval'),
    rangePixelSize: first.number('rangepixelsize'),
    passDirection: first.property('passdirection') ?? '',
    orbitSource: orbit.property('orbit_source') ?? '',
    orbit: new Orbit(stateVectors(orbit)),
    bursts: bursts.map((b) => ({
      sensingStart: isceTime(b.required('sensingstart'), b.source),
      sensingStop: isceTime(b.required('sensingstop'), b.source),
      startingRange: b.number('startingrange'),
      farRange: b.number('startingrange') + (b.number('numberofsamples') - 1) * b.number('rangepixelsize'),
    })),
  };
}

/** The swath products in `directory` (IW1.xml, IW2.xml, IW3.xml), in swath order. */
export function readSwathProducts(directory: string): SwathProduct[] {
  if (!existsSync(directory)) throw new Error(`${directory} does not exist: is this an ISCE2 topsApp directory?`);
  const files = readdirSync(directory)
    .filter((n) => /^IW[123]\.xml$/.test(n))
    .sort();
  if (files.length === 0) throw new Error(`${directory} has no IW*.xml swath products`);
  return files.map((f) => readSwathProduct(join(directory, f)));
}

/** The extent of several swaths: earliest start, latest stop, nearest and farthest range. */
export function radarExtent(swaths: readonly SwathProduct[]): BurstSummary {
  const bursts = swaths.flatMap((s) => s.bursts);
  return {
    sensingStart: Math.min(...bursts.map((b) => b.sensingStart)),
    sensingStop: Math.max(...bursts.map((b) => b.sensingStop)),
    startingRange: Math.min(...bursts.map((b) => b.startingRange)),
    farRange: Math.max(...bursts.map((b) => b.farRange)),
  };
}

export function orbitType(swaths: readonly SwathProduct[]): 'precise' | 'restituted' | '' {
  const sources = swaths.map((s) => s.orbitSource).join(' ');
  if (sources.includes('POEORB')) return 'precise';
  if (sources.includes('RESORB')) return 'restituted';
  return '';
}

export interface ProcessingSummary {
  readonly isceVersion: string;
  readonly parallelBaselines: readonly number[];
  readonly perpendicularBaselines: readonly number[];
}

/** Baselines (every `*Bpar*` / `*Bperp*` under `<baseline>`) and the ISCE release from topsProc.xml. */
export function readProcessingSummary(path: string): ProcessingSummary {
  // Some tags carry ":_" (e.g. <Input_list_of_swaths_to_process:_>); the original removed it before parsing.
  const root = parseXml(readFileSync(path, 'utf8').replace(/:_/g, ''), path);
  const baseline = descendants(root, (e) => e.name === 'baseline')[0];
  const values = (pattern: RegExp): number[] =>
    baseline ? baseline.children.filter((e) => pattern.test(e.name)).map((e) => Number(e.text.trim())) : [];
  const version = descendants(root, (e) => e.name === 'ISCE_VERSION')[0]?.text ?? '';
  return {
    isceVersion: /Release:\s*([\d.]+)/.exec(version)?.[1] ?? version.trim(),
    parallelBaselines: values(/Bpar/),
    perpendicularBaselines: values(/Bperp/),
  };
}
