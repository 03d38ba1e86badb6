import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTRIBUTE_ELEMENTS, MAX_ATTRIBUTE_TEXT } from '../../src/netcdf/conventions.js';
import { openProduct } from '../../src/netcdf/open.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/**
 * Attributes far larger than any GUNW's (a hostile or broken product): their values are kept as a start, a size
 * and a digest, so reports stay small and memory bounded, while two values still compare equal exactly when equal.
 */
const MAKE = `
import sys, h5py, numpy as np
for name, tail in (("a.h5", "a"), ("b.h5", "a"), ("c.h5", "b")):
    with h5py.File(sys.argv[1] + "/" + name, "w", libver="latest") as f:
        f.attrs["long_text"] = "x" * 100000 + tail
        f.attrs["many"] = np.arange(20000, dtype="f8") + (1 if tail == "b" else 0)
        f.attrs["small"] = np.arange(3, dtype="i4")
# Beyond what any product attribute needs: 20 MiB of text (its length is in the object header) and 24 MB of numbers.
with h5py.File(sys.argv[1] + "/text.h5", "w") as f:
    f.attrs["huge"] = "x" * (20 * 1024 * 1024)
with h5py.File(sys.argv[1] + "/numbers.h5", "w", libver="latest") as f:
    f.attrs["many"] = np.arange(3000000, dtype="f8")
# Dense attribute storage (a fractal heap indexed by a B-tree), where netCDF-4 keeps an object's attributes once it
# has more than eight: 3,000 of them make the index two levels deep and the heap a tree of blocks.
def dense(name):
    return h5py.File(sys.argv[1] + "/" + name, "w", libver="latest", track_order=True)
with dense("dense-many.h5") as f:
    for i in range(3000): f.attrs[f"attribute_{i:05d}"] = f"value {i}"
with dense("dense-huge.h5") as f:
    for i in range(3000): f.attrs[f"attribute_{i:05d}"] = f"value {i}"
    f.attrs["attribute_01234_huge"] = "y" * (20 * 1024 * 1024)
# Each under 16 MiB, together over the 64 MiB all of one object's attributes may take: in the header and dense.
with h5py.File(sys.argv[1] + "/many-large.h5", "w") as f:
    for i in range(5): f.attrs[f"part{i}"] = "p" * (13 * 1024 * 1024)
with dense("dense-many-large.h5") as f:
    for i in range(12): f.attrs[f"a{i}"] = f"value {i}"
    for i in range(5): f.attrs[f"part{i}"] = "p" * (13 * 1024 * 1024)
# Too many values for the heap's blocks: the attribute message itself is a "huge" heap object.
with dense("dense-long-message.h5") as f:
    for i in range(12): f.attrs[f"a{i}"] = f"value {i}"
    f.attrs["strings"] = np.array(["z" * 20000] * 1000, dtype=h5py.string_dtype())
`;

/** A variable of a netCDF-4 file (the library GUNW products are written with) with many attributes, one huge. */
const MAKE_NETCDF = `
import sys, netCDF4
with netCDF4.Dataset(sys.argv[1] + "/dense.nc", "w") as nc:
    nc.createDimension("x", 4)
    v = nc.createVariable("unwrappedPhase", "f4", ("x",))
    for i in range(12): v.setncattr(f"a{i}", f"value {i}")
    v.setncattr("history", "h" * (20 * 1024 * 1024))
`;

describe.skipIf(!hasPythonModules('h5py', 'numpy'))('large attributes', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('gunw-large-attributes-');
    const made = spawnSync(PYTHON, ['-c', MAKE, dir], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    if (hasPythonModules('netCDF4')) {
      const nc = spawnSync(PYTHON, ['-c', MAKE_NETCDF, dir], { encoding: 'utf8' });
      expect(nc.status, nc.stderr).toBe(0);
    }
  });

  const attributes = async (name: string): Promise<Record<string, unknown>> => {
    const reader = await openProduct(join(dir, name));
    try {
      return Object.fromEntries(reader.root.attributes.map((a) => [a.name, a.value]));
    } finally {
      reader.close();
    }
  };

  it('keeps a start, the size and a digest of a long text or a long array, and small values whole', async () => {
    const a = await attributes('a.h5');
    expect(100_001).toBeGreaterThan(MAX_ATTRIBUTE_TEXT);
    expect(20_000).toBeGreaterThan(MAX_ATTRIBUTE_ELEMENTS);
    expect(a.long_text).toMatch(/^x{1024}… \[100,001 characters; sha256 [0-9a-f]{32}\]$/);
    expect(a.many).toMatch(/^\[20,000 values: 0, 1, 2, 3, 4, 5, 6, 7, …; sha256 [0-9a-f]{32}\]$/);
    expect(a.small).toEqual([0, 1, 2]);
  });

  it('refuses, in one line and before HDF5 reads it, an attribute larger than any product needs', async () => {
    await expect(openProduct(join(dir, 'text.h5'))).rejects.toThrow(
      /text\.h5 \(\/\): refused: an attribute holds 20,971,520 bytes of variable-length values, more than the 16 MiB/,
    );
    await expect(openProduct(join(dir, 'numbers.h5'))).rejects.toThrow(
      /numbers\.h5 \(\/\): refused: attribute many takes 24,000,054 bytes of the file, more than the 16 MiB/,
    );
  });

  it('compares equal values equal and different ones different, wherever they differ', async () => {
    const [a, b, c] = await Promise.all([attributes('a.h5'), attributes('b.h5'), attributes('c.h5')]);
    expect(b.long_text).toBe(a.long_text);
    expect(b.many).toBe(a.many);
    // The difference is past the start kept: the digest still tells them apart.
    expect(c.long_text).not.toBe(a.long_text);
    expect(c.many).not.toBe(a.many);
  });

  it('refuses a huge attribute in dense storage too, wherever the index and heap keep it', async () => {
    const many = await attributes('dense-many.h5');
    expect(Object.keys(many)).toHaveLength(3000);
    expect(many.attribute_02999).toBe('value 2999');
    await expect(openProduct(join(dir, 'dense-huge.h5'))).rejects.toThrow(
      /dense-huge\.h5 \(\/\): refused: an attribute holds 20,971,520 bytes of variable-length values/,
    );
    await expect(openProduct(join(dir, 'dense-long-message.h5'))).rejects.toThrow(
      /dense-long-message\.h5 \(\/\): refused: an attribute holds 20,000,000 bytes/,
    );
  });

  it.skipIf(!hasPythonModules('netCDF4'))('refuses it on a netCDF-4 variable with many attributes', async () => {
    await expect(openProduct(join(dir, 'dense.nc'))).rejects.toThrow(
      /dense\.nc \(\/unwrappedPhase\): refused: attribute history takes 20,971,549 bytes of the file/,
    );
  });

  it('refuses attributes that together take more than any object needs, each one under the limit', async () => {
    for (const name of ['many-large.h5', 'dense-many-large.h5'])
      await expect(openProduct(join(dir, name))).rejects.toThrow(
        new RegExp(`${name.replace('.', '\\.')} \\(/\\): refused: its attributes take more than the 64 MiB`),
      );
  });
});
