import { escapeXmlText } from '../text.js';
/**
 * topsApp.xml from the template in templates/ (pure: the caller reads the template and writes the result).
 * Values are written the way ISCE2 reads them: Python literals for lists and booleans.
 */

const python = {
  bool: (v: boolean): string => (v ? 'True' : 'False'),
  list: (items: readonly (string | number)[]): string =>
    `[${items.map((i) => (typeof i === 'string' ? `'${i}'` : String(i))).join(', ')}]`,
  /** Python float repr: -1 → -1.0, 0.5 → 0.5. */
  float: (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v)),
};

export interface TopsappInputs {
  readonly referenceZips: readonly string[];
  readonly secondaryZips: readonly string[];
  readonly regionOfInterest: readonly [number, number, number, number];
  readonly looks: { readonly range: number; readonly azimuth: number };
  readonly esdCoherenceThreshold: number;
  readonly denseOffsets: boolean;
  /** The job estimates the ionosphere (the ion:* steps; packaged as a layer, never applied): geocode its outputs. */
  readonly ionosphere: boolean;
  readonly filterStrength: number;
  readonly swaths?: readonly number[];
  readonly demFilename?: string;
  readonly geocodeDemFilename?: string;
}

/**
 * Products topsApp geocodes, in the order the original listed them, and the two the ionosphere steps leave in
 * merged/ before topsApp's geocode step runs.
 */
export function geocodeList(denseOffsets: boolean, ionosphere = false): string[] {
  const list = [
    'merged/phsig.cor',
    'merged/filt_topophase.unw',
    'merged/los.rdr',
    'merged/topophase.flat',
    'merged/filt_topophase.flat',
    'merged/filt_topophase_2stage.unw',
    'merged/topophase.cor',
    'merged/filt_topophase.unw.conncomp',
  ];
  // The burst ramps (azimuth shift) become the ionosphereBurstRamps layer: without them in the list a real run would
  // leave no geocoded file to package.
  if (ionosphere) list.push('merged/topophase.ion', 'merged/topophase.ion.az_shift');
  if (denseOffsets) list.push('merged/dense_offsets.bil');
  return list;
}

export function topsappValues(inputs: TopsappInputs): Record<string, string> {
  return {
    orbitDirectory: 'orbits',
    auxCalDirectory: 'aux_cal',
    referenceZips: python.list(inputs.referenceZips),
    secondaryZips: python.list(inputs.secondaryZips),
    swaths: python.list(inputs.swaths ?? [1, 2, 3]),
    rangeLooks: String(inputs.looks.range),
    azimuthLooks: String(inputs.looks.azimuth),
    regionOfInterest: python.list(inputs.regionOfInterest.map((v) => Number(v))),
    demFilename: inputs.demFilename ?? 'full_res.dem.wgs84',
    geocodeDemFilename: inputs.geocodeDemFilename ?? 'low_res.dem.wgs84',
    doEsd: python.bool(inputs.esdCoherenceThreshold >= 0),
    esdCoherenceThreshold: python.float(inputs.esdCoherenceThreshold),
    doDenseOffsets: python.bool(inputs.denseOffsets),
    filterStrength: python.float(inputs.filterStrength),
    geocodeList: python.list(geocodeList(inputs.denseOffsets, inputs.ionosphere)),
  };
}

/** Fill `{{ name }}` placeholders; a placeholder without a value, or a value without a placeholder, is a bug. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const used = new Set<string>();
  const out = template.replace(/\{\{\s*([A-Za-z]\w*)\s*\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {{ ${name} }} has no value`);
    used.add(name);
    return escapeXmlText(value);
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`template has no placeholder for ${unused.join(', ')}`);
  return out;
}
