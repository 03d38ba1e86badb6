import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../src/sample/random.js';

/**
 * Damaged copies of an HDF5 file, made reproducibly from a seed: truncations, byte and bit flips aimed at each kind
 * of HDF5 structure (from the targets hdf5_mutation.py found with HDF5's own API), huge dimensions, address loops,
 * unknown filters, bad checksums and damaged chunk-index keys.
 */

export interface Target {
  readonly kind: string;
  readonly offset: number;
  readonly length: number;
  readonly name?: string;
  readonly filters?: readonly number[];
}

export interface Mutant {
  readonly path: string;
  readonly base: string;
  readonly kind: string;
  readonly detail: string;
}

const STRUCTURE_KINDS = new Set([
  'superblock',
  'object-header',
  'TREE',
  'HEAP',
  'SNOD',
  'GCOL',
  'OHDR',
  'OCHK',
  'FRHP',
  'FHDB',
  'FHIB',
  'BTHD',
  'BTIN',
  'BTLF',
  'FSHD',
  'FSSE',
  'FAHD',
  'FADB',
  'EAHD',
  'EAIB',
  'EADB',
  'EASB',
  'dimension',
  'filter',
]);
const HUGE = [
  2n ** 31n,
  2n ** 32n + 1n,
  2n ** 40n,
  2n ** 53n,
  2n ** 63n - 1n,
  2n ** 64n - 1n,
  2n ** 64n - 2n,
  0n,
  1n,
  100000n,
];
const FILTER_IDS = [0, 4, 5, 6, 32000, 307, 65535, 3, 2, 1];

/** How many mutants of each kind one base gets (about 350 per base). */
export const MUTATION_PLAN: readonly (readonly [string, number])[] = [
  ['truncate', 40],
  ['structure-byte', 110],
  ['structure-bit', 40],
  ['data-byte', 30],
  ['checksum', 30],
  ['huge-dimension', 30],
  ['loop', 30],
  ['filter', 20],
  ['chunk-key', 20],
];

export function makeMutants(
  basePath: string,
  baseName: string,
  targets: readonly Target[],
  outDir: string,
  seed: number,
): Mutant[] {
  const original = readFileSync(basePath);
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const within = (t: Target): number =>
    Math.min(original.length - 1, t.offset + Math.floor(random() * Math.max(1, t.length)));
  const ofKinds = (test: (t: Target) => boolean): Target[] =>
    targets.filter((t) => test(t) && t.offset < original.length);
  const structures = ofKinds((t) => STRUCTURE_KINDS.has(t.kind));
  const data = ofKinds((t) => t.kind === 'chunk' || t.kind === 'contiguous');
  const chunks = ofKinds((t) => t.kind === 'chunk' && t.length > 4);
  const dimensions = ofKinds((t) => t.kind === 'dimension');
  const filters = ofKinds((t) => t.kind === 'filter');
  const trees = ofKinds((t) => t.kind === 'TREE');
  const pointerHolders = ofKinds((t) => STRUCTURE_KINDS.has(t.kind) && t.kind !== 'dimension' && t.kind !== 'filter');
  const addresses = new Set(targets.map((t) => t.offset));
  const mutants: Mutant[] = [];

  const emit = (kind: string, bytes: Buffer, detail: string): void => {
    const path = join(outDir, `${baseName}.${String(mutants.length).padStart(4, '0')}.${kind}.h5`);
    writeFileSync(path, bytes);
    mutants.push({ path, base: baseName, kind, detail });
  };
  const flipByte = (at: number): Buffer => {
    const copy = Buffer.from(original);
    copy[at] = (copy[at]! + 1 + Math.floor(random() * 255)) & 0xff;
    return copy;
  };

  for (const [kind, count] of MUTATION_PLAN) {
    for (let n = 0; n < count; n++) {
      if (kind === 'truncate') {
        // Half anywhere, half just before the end (where netCDF-C leaves its last metadata).
        const at =
          n % 2 === 0
            ? Math.floor(random() * original.length)
            : original.length - 1 - Math.floor(random() * Math.min(4096, original.length - 1));
        emit(kind, original.subarray(0, at), `cut at ${at} of ${original.length}`);
      } else if (kind === 'structure-byte') {
        const target = pick(structures);
        const at = within(target);
        emit(kind, flipByte(at), `${target.kind}${target.name ? ` ${target.name}` : ''} byte ${at}`);
      } else if (kind === 'structure-bit') {
        const target = pick(structures);
        const at = within(target);
        const copy = Buffer.from(original);
        const bit = Math.floor(random() * 8);
        copy[at] = copy[at]! ^ (1 << bit);
        emit(kind, copy, `${target.kind}${target.name ? ` ${target.name}` : ''} byte ${at} bit ${bit}`);
      } else if (kind === 'data-byte') {
        const target = pick(data);
        const at = within(target);
        emit(kind, flipByte(at), `${target.kind} ${target.name} byte ${at}`);
      } else if (kind === 'checksum') {
        // The last four bytes of a chunk: its fletcher32 checksum, or its deflate stream's adler32 trailer.
        const target = pick(chunks);
        const at = target.offset + target.length - 1 - Math.floor(random() * 4);
        emit(kind, flipByte(at), `chunk ${target.name} filters ${JSON.stringify(target.filters)} byte ${at}`);
      } else if (kind === 'huge-dimension') {
        const target = dimensions.length > 0 ? pick(dimensions) : pick(structures);
        const value = pick(HUGE);
        const copy = Buffer.from(original);
        copy.writeBigUInt64LE(value, target.offset);
        emit(kind, copy, `${target.name} dimension at ${target.offset} = ${value}`);
      } else if (kind === 'loop') {
        // An address inside a structure made to point back at the structure itself (or at another one).
        const target = pick(pointerHolders);
        const copy = Buffer.from(original);
        const candidates: number[] = [];
        for (let at = target.offset; at + 8 <= Math.min(original.length, target.offset + 256); at++) {
          const value = original.readBigUInt64LE(at);
          if (value > 0n && value < BigInt(original.length) && addresses.has(Number(value))) candidates.push(at);
        }
        const at = candidates.length > 0 ? pick(candidates) : target.offset + 8;
        const to = random() < 0.6 ? target.offset : pick(pointerHolders).offset;
        if (at + 8 <= copy.length) copy.writeBigUInt64LE(BigInt(to), at);
        emit(kind, copy, `${target.kind} address at ${at} -> ${to}`);
      } else if (kind === 'filter') {
        const copy = Buffer.from(original);
        if (filters.length > 0) {
          const target = pick(filters);
          const id = pick(FILTER_IDS);
          copy.writeUInt16LE(id, target.offset);
          emit(kind, copy, `${target.name} filter id at ${target.offset} = ${id}`);
        } else {
          // Version-2 pipeline messages carry no names to find them by: damage a dataset header's bytes instead.
          const target = pick(ofKinds((t) => t.kind === 'object-header'));
          const at = within(target);
          emit(kind, flipByte(at), `object header ${target.name} byte ${at}`);
        }
      } else if (kind === 'chunk-key') {
        // A version-1 B-tree node: signature, type, level, entries, siblings, then keys (size, mask, offsets).
        const target = trees.length > 0 ? pick(trees) : pick(structures);
        const at = Math.min(original.length - 1, target.offset + 24 + Math.floor(random() * 120));
        emit(kind, flipByte(at), `${target.kind} key byte ${at}`);
      }
    }
  }
  return mutants;
}
