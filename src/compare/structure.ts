import { walkGroups, type NcDimension, type NcGroup, type NcVariable } from '../netcdf/model.js';
import type { StructureChange, StructureEntry } from './report-schema.js';

export interface StructureDiff {
  readonly onlyInReference: StructureEntry[];
  readonly onlyInCandidate: StructureEntry[];
  readonly changed: StructureChange[];
  /** Variables present in both products, by path (reference, candidate). */
  readonly common: [NcVariable, NcVariable][];
}

interface Inventory {
  readonly groups: Map<string, NcGroup>;
  readonly variables: Map<string, NcVariable>;
  readonly dimensions: Map<string, NcDimension>;
}

function inventory(root: NcGroup): Inventory {
  const groups = new Map<string, NcGroup>();
  const variables = new Map<string, NcVariable>();
  const dimensions = new Map<string, NcDimension>();
  for (const group of walkGroups(root)) {
    groups.set(group.path, group);
    for (const v of group.variables) variables.set(v.path, v);
    for (const d of group.dimensions) dimensions.set(d.path, d);
  }
  return { groups, variables, dimensions };
}

const show = (value: unknown): string => (value === null || value === undefined ? 'none' : JSON.stringify(value));

function filtersText(v: NcVariable): string {
  return v.storage.filters.map((f) => `${f.name}(${f.parameters.join(',')})`).join('+') || 'none';
}

/** Paths present on one side only, and the paths present on both. */
function splitPaths<T>(a: Map<string, T>, b: Map<string, T>): { onlyA: string[]; onlyB: string[]; both: string[] } {
  const onlyA = [...a.keys()].filter((p) => !b.has(p));
  const onlyB = [...b.keys()].filter((p) => !a.has(p));
  const both = [...a.keys()].filter((p) => b.has(p));
  return { onlyA, onlyB, both };
}

/**
 * Compare the two products' trees: groups, variables and netCDF dimensions present in one only; dtype, shape and
 * dimension names of common variables; sizes of common dimensions; and, when asked, chunking and filters.
 */
export function diffStructure(reference: NcGroup, candidate: NcGroup): StructureDiff {
  const a = inventory(reference);
  const b = inventory(candidate);
  const onlyInReference: StructureEntry[] = [];
  const onlyInCandidate: StructureEntry[] = [];
  const changed: StructureChange[] = [];

  const kinds = [
    ['group', a.groups, b.groups],
    ['variable', a.variables, b.variables],
    ['dimension', a.dimensions, b.dimensions],
  ] as const;
  for (const [kind, mapA, mapB] of kinds) {
    const { onlyA, onlyB } = splitPaths<unknown>(mapA, mapB);
    onlyInReference.push(...onlyA.map((path) => ({ kind, path })));
    onlyInCandidate.push(...onlyB.map((path) => ({ kind, path })));
  }

  for (const path of splitPaths(a.dimensions, b.dimensions).both) {
    const [da, db] = [a.dimensions.get(path)!, b.dimensions.get(path)!];
    if (da.size !== db.size)
      changed.push({
        kind: 'dimension',
        path,
        property: 'size',
        reference: String(da.size),
        candidate: String(db.size),
        storage: false,
      });
    if (da.unlimited !== db.unlimited) {
      changed.push({
        kind: 'dimension',
        path,
        property: 'unlimited',
        reference: String(da.unlimited),
        candidate: String(db.unlimited),
        storage: false,
      });
    }
  }

  const common: [NcVariable, NcVariable][] = [];
  for (const path of splitPaths(a.variables, b.variables).both) {
    const [va, vb] = [a.variables.get(path)!, b.variables.get(path)!];
    common.push([va, vb]);
    const change = (property: StructureChange['property'], ra: string, rb: string, storage = false): void => {
      if (ra !== rb) changed.push({ kind: 'variable', path, property, reference: ra, candidate: rb, storage });
    };
    change('dtype', va.dtype, vb.dtype);
    change('shape', show(va.shape), show(vb.shape));
    change('dimensions', show(va.dimensions), show(vb.dimensions));
    change('chunks', show(va.storage.chunks), show(vb.storage.chunks), true);
    change('filters', filtersText(va), filtersText(vb), true);
  }
  return { onlyInReference, onlyInCandidate, changed, common };
}
