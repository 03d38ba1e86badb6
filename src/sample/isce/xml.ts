import type { StateVector } from '../../geometry/orbit.js';
import { property } from '../../isce/write-xml.js';

/**
 * ISCE2-format XML for the sample topsApp directory, written the way ISCE2 writes it: product files
 * (`<productmanager_name>` → `instance` → `bursts` → `burstN` → `orbit` → `state_vectors`), image descriptions
 * (`<imageFile>`, from isce/write-xml.ts), and `topsProc.xml` with the baselines.
 */

/** ISCE's time format: `2022-02-12 22:28:16.123456`. */
export function isceTimeText(seconds: number): string {
  const whole = Math.floor(seconds);
  const micro = Math.round((seconds - whole) * 1e6);
  return `${new Date(whole * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${String(micro).padStart(6, '0')}`;
}

export interface SampleBurst {
  readonly number: number;
  readonly sensingStart: number;
  readonly sensingStop: number;
  readonly startingRange: number;
  readonly samples: number;
  readonly lines: number;
}

export interface SampleSwath {
  readonly swath: number;
  readonly wavelength: number;
  readonly rangePixelSize: number;
  readonly azimuthTimeInterval: number;
  readonly passDirection: string;
  readonly orbitSource: string;
  readonly vectors: readonly StateVector[];
  readonly bursts: readonly SampleBurst[];
}

function orbitXml(swath: SampleSwath, indent: string): string {
  const inner = `${indent}        `;
  const names = swath.vectors.map((_, i) => `'statevector${i + 1}'`).join(', ');
  const vectors = swath.vectors
    .map(
      (v, i) =>
        `${inner}<component name="statevector${i + 1}">\n${inner}    <factorymodule>isceobj.Orbit.Orbit</factorymodule>\n${inner}    <factoryname>StateVector</factoryname>\n` +
        property('position', `[${v.position.join(', ')}]`, `${inner}    `) +
        property('time', isceTimeText(v.time), `${inner}    `) +
        property('velocity', `[${v.velocity.join(', ')}]`, `${inner}    `) +
        `${inner}</component>\n`,
    )
    .join('');
  return (
    `${indent}<component name="orbit">\n${indent}    <factorymodule>isceobj.Orbit.Orbit</factorymodule>\n${indent}    <factoryname>createOrbit</factoryname>\n` +
    property('orbit_source', swath.orbitSource, `${indent}    `) +
    `${indent}    <component name="state_vectors">\n${indent}        <factorymodule>iscesys.Component</factorymodule>\n${indent}        <factoryname>createTraitSeq</factoryname>\n` +
    property('name', `[${names}]`, `${indent}        `) +
    vectors +
    `${indent}    </component>\n${indent}</component>\n`
  );
}

export function swathProductXml(swath: SampleSwath): string {
  const bursts = swath.bursts
    .map((b) => {
      const i = '            ';
      return (
        `        <component name="burst${b.number}">\n${i}<factorymodule>isceobj.Sensor.TOPS.BurstSLC</factorymodule>\n${i}<factoryname>BurstSLC</factoryname>\n` +
        property('azimuthtimeinterval', swath.azimuthTimeInterval, i) +
        property('burstnumber', b.number, i) +
        property('numberoflines', b.lines, i) +
        property('numberofsamples', b.samples, i) +
        orbitXml(swath, i) +
        property('passdirection', swath.passDirection, i) +
        property('polarization', 'VV', i) +
        property('radarwavelength', swath.wavelength, i) +
        property('rangepixelsize', swath.rangePixelSize, i) +
        property('sensingstart', isceTimeText(b.sensingStart), i) +
        property('sensingstop', isceTimeText(b.sensingStop), i) +
        property('startingrange', b.startingRange, i) +
        property('swathnumber', swath.swath, i) +
        `        </component>\n`
      );
    })
    .join('');
  return (
    `<productmanager_name>\n    <component name="instance">\n        <factorymodule>isceobj.Sensor.TOPS.TOPSSwathSLCProduct</factorymodule>\n` +
    `        <factoryname>TOPSSwathSLCProduct</factoryname>\n    <component name="bursts">\n${bursts}    </component>\n    </component>\n</productmanager_name>\n`
  );
}

export function topsProcXml(
  isceVersion: string,
  baselines: readonly { swath: number; parallel: [number, number]; perpendicular: [number, number] }[],
): string {
  const rows = baselines
    .map(
      (b) =>
        `        <IW-${b.swath}_Bpar_at_midrange_for_first_common_burst>${b.parallel[0]}</IW-${b.swath}_Bpar_at_midrange_for_first_common_burst>\n` +
        `        <IW-${b.swath}_Bperp_at_midrange_for_first_common_burst>${b.perpendicular[0]}</IW-${b.swath}_Bperp_at_midrange_for_first_common_burst>\n` +
        `        <IW-${b.swath}_Bpar_at_midrange_for_last_common_burst>${b.parallel[1]}</IW-${b.swath}_Bpar_at_midrange_for_last_common_burst>\n` +
        `        <IW-${b.swath}_Bperp_at_midrange_for_last_common_burst>${b.perpendicular[1]}</IW-${b.swath}_Bperp_at_midrange_for_last_common_burst>\n`,
    )
    .join('');
  return `<topsProc>\n    <insarProc>\n        <ISCE_VERSION>Release: ${isceVersion}, svn-, 20230301. Current svn-</ISCE_VERSION>\n    </insarProc>\n    <common>\n        <Input_list_of_swaths_to_process:_>[1, 2, 3]</Input_list_of_swaths_to_process:_>\n    </common>\n    <baseline>\n${rows}    </baseline>\n</topsProc>\n`;
}
