import { isNumericDType, walkGroups, type AttributeValue, type NcAttribute, type NcGroup } from '../netcdf/model.js';
import { COMMAND_LINE_ATTRIBUTES, isVersionName } from '../product/gunw-layout.js';
import { redactText } from '../redaction.js';
import type { Profile } from './profile.js';
import type { AttributeDifference, ProvenanceReport } from './report-schema.js';

type ReportValue = string | number | boolean | (string | number | boolean)[];
type VersionEntry = ProvenanceReport['versions'][number];

/** JSON has no NaN or infinities, and no secret may reach a report: make a value safe to print and serialise. */
export function reportValue(value: AttributeValue): ReportValue {
  const one = (v: string | number | boolean): string | number | boolean => {
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return typeof v === 'string' ? redactText(v) : v;
  };
  return Array.isArray(value) ? value.map(one) : one(value as string | number | boolean);
}

function asList(value: AttributeValue): (string | number | boolean)[] {
  return Array.isArray(value)
    ? [...(value as readonly (string | number | boolean)[])]
    : [value as string | number | boolean];
}

function numbersClose(a: number, b: number, abs: number, rel: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= abs + rel * Math.abs(a);
}

export function attributeValuesEqual(a: NcAttribute, b: NcAttribute, tolerance: { abs: number; rel: number }): boolean {
  const [la, lb] = [asList(a.value), asList(b.value)];
  if (la.length !== lb.length) return false;
  return la.every((x, i) => {
    const y = lb[i];
    if (typeof x === 'number' && typeof y === 'number') return numbersClose(x, y, tolerance.abs, tolerance.rel);
    return x === y;
  });
}

/** Attribute owners (groups and variables) by path. */
function owners(root: NcGroup): Map<string, readonly NcAttribute[]> {
  const out = new Map<string, readonly NcAttribute[]>();
  for (const group of walkGroups(root)) {
    out.set(group.path, group.attributes);
    for (const v of group.variables) out.set(v.path, v.attributes);
  }
  return out;
}

function isCommandLine(path: string, name: string): boolean {
  return path === '/' && (COMMAND_LINE_ATTRIBUTES as readonly string[]).includes(name);
}

function sameTypeFamily(a: NcAttribute, b: NcAttribute): boolean {
  if (a.dtype === b.dtype) return true;
  // Fixed-length (NC_CHAR) and variable-length (NC_STRING) text read the same in every netCDF client.
  return (a.dtype === 'char' || a.dtype === 'string') && (b.dtype === 'char' || b.dtype === 'string') ? true : false;
}

export interface AttributeDiff {
  readonly differences: AttributeDifference[];
  readonly versions: VersionEntry[];
}

/**
 * Every attribute difference of groups and variables present in both products. Command-line attributes are left
 * to the provenance comparison; version attributes are listed separately and never fail a comparison.
 */
export function diffAttributes(
  reference: NcGroup,
  candidate: NcGroup,
  profile: Profile,
  checkStorage: boolean,
): AttributeDiff {
  const a = owners(reference);
  const b = owners(candidate);
  const differences: AttributeDifference[] = [];
  const versions: VersionEntry[] = [];
  for (const [path, attrsA] of a) {
    const attrsB = b.get(path);
    if (!attrsB) continue;
    const byName = new Map(attrsB.map((x) => [x.name, x]));
    const names = [...new Set([...attrsA.map((x) => x.name), ...attrsB.map((x) => x.name)])];
    for (const name of names) {
      if (isCommandLine(path, name) || profile.attributeIgnored(path, name)) continue;
      const x = attrsA.find((attr) => attr.name === name);
      const y = byName.get(name);
      const valuesEqual = x !== undefined && y !== undefined && attributeValuesEqual(x, y, profile.attributeTolerance);
      if (isVersionName(name)) {
        versions.push({
          path,
          name,
          reference: x ? reportValue(x.value) : null,
          candidate: y ? reportValue(y.value) : null,
          changed: !valuesEqual,
        });
      }
      let change: AttributeDifference['change'] | null = null;
      if (!x) change = 'onlyInCandidate';
      else if (!y) change = 'onlyInReference';
      else if (!valuesEqual) change = 'changed';
      else if (!sameTypeFamily(x, y) || (checkStorage && x.dtype !== y.dtype)) change = 'type';
      if (!change) continue;
      differences.push({
        path,
        name,
        change,
        reference: x ? reportValue(x.value) : null,
        candidate: y ? reportValue(y.value) : null,
        referenceType: x?.dtype ?? null,
        candidateType: y?.dtype ?? null,
        informational: isVersionName(name) || profile.attributeInformational(path, name),
      });
    }
  }
  return { differences, versions };
}

export function isNumericAttribute(attribute: NcAttribute): boolean {
  return isNumericDType(attribute.dtype);
}
