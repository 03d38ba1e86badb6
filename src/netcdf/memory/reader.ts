import { randomUUID } from 'node:crypto';
import { ProductReadError } from '../../errors.js';
import {
  findVariable,
  isNumericDType,
  joinPath,
  type AttributeValue,
  type DType,
  type NcAttribute,
  type NcDimension,
  type NcGroup,
  type NcVariable,
  type NumericArray,
  type NumericDType,
} from '../model.js';
import {
  rowMajorStrides,
  type MemorySourceDescriptor,
  type ProductReader,
  type RegionSource,
  type RegionView,
} from '../reader.js';
import { stridedView } from '../views.js';
import { isSlabSource, type AttributeSpec, type GroupSpec, type VariableSpec } from '../spec.js';
import { typedArrayFor } from '../typed-arrays.js';
import { plainText } from '../../text.js';

interface StoredVariable {
  readonly dtype: NumericDType;
  readonly shape: readonly number[];
  readonly data: NumericArray;
}

/** Variables of in-memory products, by source key; only this thread can read them. */
const registry = new Map<string, StoredVariable>();

export function attributeFromSpec(name: string, spec: AttributeSpec): NcAttribute {
  let dtype: DType;
  let value: AttributeValue;
  if (typeof spec === 'string') [dtype, value] = ['char', spec];
  else if (typeof spec === 'number') [dtype, value] = ['f8', spec];
  else if (typeof spec === 'boolean') [dtype, value] = ['enum', spec];
  else if (Array.isArray(spec))
    [dtype, value] = [
      typeof spec[0] === 'string' ? 'string' : 'f8',
      [...(spec as readonly (string | number)[])] as AttributeValue,
    ];
  else {
    const typed = spec as { dtype: DType; value: AttributeValue };
    dtype = typed.dtype;
    value =
      Array.isArray(typed.value) && typed.value.length === 1
        ? (typed.value[0] as string | number | boolean)
        : typed.value;
  }
  return { name, dtype, value };
}

function attributesFromSpec(
  specs: Readonly<Record<string, AttributeSpec>> | undefined,
  extra: NcAttribute[] = [],
): NcAttribute[] {
  return [...extra, ...Object.entries(specs ?? {}).map(([name, spec]) => attributeFromSpec(name, spec))];
}

export function shapeOf(variable: VariableSpec, dimensionSize: (name: string) => number): number[] {
  return (variable.dimensions ?? []).map(dimensionSize);
}

export function fillAttribute(variable: VariableSpec): NcAttribute[] {
  if (variable.fillValue === undefined) return [];
  return [{ name: '_FillValue', dtype: variable.dtype, value: variable.fillValue }];
}

/** A product held in memory (tests): same model and region reads as a file, no disk involved. */
export class MemoryProductReader implements ProductReader {
  readonly root: NcGroup;
  private readonly values = new Map<string, { spec: VariableSpec; shape: number[] }>();
  private readonly keys = new Map<string, string>();

  constructor(
    readonly path: string,
    spec: GroupSpec,
  ) {
    this.root = this.buildGroup(spec, '/', []);
  }

  private buildGroup(spec: GroupSpec, path: string, scopes: Readonly<Record<string, number>>[]): NcGroup {
    const own = spec.dimensions ?? {};
    const visible = [own, ...scopes];
    const sizeOf = (name: string): number => {
      for (const scope of visible) if (name in scope) return scope[name]!;
      throw new Error(`${this.path}: dimension ${name} is not declared above ${path}`);
    };
    const dimensions: NcDimension[] = Object.entries(own).map(([name, size]) => ({
      name,
      path: joinPath(path, name),
      size,
      unlimited: false,
    }));
    const variables: NcVariable[] = (spec.variables ?? []).map((v) => {
      const variablePath = joinPath(path, v.name);
      const shape = shapeOf(v, sizeOf);
      this.values.set(variablePath, { spec: v, shape });
      return {
        name: v.name,
        path: variablePath,
        dtype: v.dtype,
        shape,
        dimensions: [...(v.dimensions ?? [])],
        attributes: attributesFromSpec(v.attributes, fillAttribute(v)),
        storage: {
          chunks: v.chunks ? [...v.chunks] : null,
          filters: v.deflate ? [{ id: 1, name: 'deflate', parameters: [v.deflate] }] : [],
        },
        fillValue: v.fillValue ?? null,
        isCoordinate: (v.dimensions ?? []).length === 1 && v.dimensions?.[0] === v.name && v.name in own,
      };
    });
    const groups = Object.entries(spec.groups ?? {}).map(([name, child]) =>
      this.buildGroup(child, joinPath(path, name), visible),
    );
    return {
      name: path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1),
      path,
      attributes: attributesFromSpec(spec.attributes),
      dimensions,
      variables,
      groups,
    };
  }

  private entry(path: string): { spec: VariableSpec; shape: number[] } {
    const entry = this.values.get(path);
    if (!entry) throw new ProductReadError(this.path, 'no such variable', path);
    return entry;
  }

  readNumeric(path: string): NumericArray {
    const { spec } = this.entry(path);
    if (!isNumericDType(spec.dtype)) throw new ProductReadError(this.path, `is ${spec.dtype}, not numeric`, path);
    if (typeof spec.data === 'number') {
      const out = typedArrayFor(spec.dtype, 1);
      if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[0] = BigInt(spec.data);
      else out[0] = spec.data;
      return out;
    }
    if (isSlabSource(spec.data))
      throw new ProductReadError(this.path, 'is produced in slabs for writing and cannot be read from memory', path);
    return spec.data as NumericArray;
  }

  readText(path: string): string[] {
    const { spec } = this.entry(path);
    return Array.isArray(spec.data) ? [...(spec.data as readonly string[])] : [plainText(spec.data)];
  }

  sourceFor(path: string): MemorySourceDescriptor {
    const variable = findVariable(this.root, path);
    if (!variable || !isNumericDType(variable.dtype))
      throw new ProductReadError(this.path, 'no such numeric variable', path);
    let key = this.keys.get(path);
    if (!key) {
      key = randomUUID();
      this.keys.set(path, key);
      registry.set(key, { dtype: variable.dtype, shape: variable.shape, data: this.readNumeric(path) });
    }
    return {
      kind: 'memory',
      key,
      variable: path,
      dtype: variable.dtype,
      shape: variable.shape,
      chunks: variable.storage.chunks,
    };
  }

  close(): void {
    for (const key of this.keys.values()) registry.delete(key);
    this.keys.clear();
  }
}

export class MemoryRegionSource implements RegionSource {
  readonly dtype: NumericDType;
  readonly shape: readonly number[];
  private readonly stored: StoredVariable;
  private readonly strides: number[];

  constructor(descriptor: MemorySourceDescriptor) {
    const stored = registry.get(descriptor.key);
    if (!stored) throw new Error(`in-memory variable ${descriptor.variable} is not readable in this thread`);
    this.stored = stored;
    this.dtype = stored.dtype;
    this.shape = stored.shape;
    this.strides = rowMajorStrides(stored.shape);
  }

  read(start: readonly number[], count: readonly number[]): RegionView {
    let offset = 0;
    for (let d = 0; d < start.length; d++) offset += start[d]! * this.strides[d]!;
    return stridedView(this.stored.data, offset, this.strides, count);
  }

  close(): void {}
}
