import { describe, expect, it } from 'vitest';
import { InternalError, ProductReadError, UsageError, ValidationError } from '../../src/errors.js';
import { decodeError, encodeError } from '../../src/threads/error-codec.js';

/** Through structured clone, as postMessage carries it between threads. */
const acrossThreads = (error: unknown): Error => decodeError(structuredClone(encodeError(error)));

describe('errors crossing a thread boundary', () => {
  it('keep a product error whole: its kind, file, problem and variable', () => {
    const back = acrossThreads(new ProductReadError('/data/ref.nc', 'damaged: a chunk fails its checksum', '/x'));
    expect(back).toBeInstanceOf(ProductReadError);
    expect(back).toMatchObject({
      file: '/data/ref.nc',
      problem: 'damaged: a chunk fails its checksum',
      variable: '/x',
    });
    expect(back.message).toBe('/data/ref.nc (/x): damaged: a chunk fails its checksum');
  });

  it('keep the kind that decides the exit code', () => {
    expect(acrossThreads(new UsageError('bad --workers'))).toBeInstanceOf(UsageError);
    expect(acrossThreads(new ValidationError('profile.yaml', ['a: b']))).toBeInstanceOf(UsageError);
    const bug = acrossThreads(new InternalError('queue underflow'));
    expect(bug).toBeInstanceOf(InternalError);
    expect(bug).not.toBeInstanceOf(UsageError);
    const plain = acrossThreads(new RangeError('offset out of range'));
    expect(plain).not.toBeInstanceOf(UsageError);
    expect([plain.name, plain.message]).toEqual(['RangeError', 'offset out of range']);
    expect(acrossThreads('a thrown string').message).toBe('a thrown string');
  });
});
