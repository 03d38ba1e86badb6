import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checksumMatches, metadataChecksum } from '../../src/netcdf/hdf5/checksum.js';
import { openProduct } from '../../src/netcdf/open.js';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/**
 * HDF5's metadata checksum (lookup3) against the checksums HDF5 itself wrote, and what it is for: dense attribute
 * storage whose index or heap HDF5 would refuse is refused, in one line, before any value is read.
 */
const MAKE = `
import sys, netCDF4, numpy as np
with netCDF4.Dataset(sys.argv[1], "w") as nc:
    nc.createDimension("x", 8)
    v = nc.createVariable("coherence", "f4", ("x",))
    v[:] = np.arange(8, dtype="f4")
    for i in range(30): v.setncattr(f"attribute_{i:02d}", f"value {i}")
    for i in range(20): nc.setncattr(f"root_{i:02d}", i)
`;

/** Every structure with this signature in the file: the part its checksum covers, then the checksum. */
function structures(bytes: Buffer, signature: string, covered: number): Buffer[] {
  const found: Buffer[] = [];
  for (let at = bytes.indexOf(signature); at >= 0; at = bytes.indexOf(signature, at + 1))
    found.push(bytes.subarray(at, at + covered + 4));
  return found;
}

describe('HDF5 metadata checksums', () => {
  it('gives lookup3 of nothing as its initial value', () => {
    expect(metadataChecksum(new Uint8Array(0))).toBe(0xdeadbeef);
  });

  describe.skipIf(!hasPythonModules('netCDF4', 'h5py', 'numpy'))('in a netCDF-4 file with dense attributes', () => {
    const dir = tempDir('gunw-checksum-');
    const file = join(dir, 'dense.nc');
    beforeAll(() => {
      const made = spawnSync(PYTHON, ['-c', MAKE, file], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
    });

    it('matches every checksum HDF5 wrote into B-tree and heap headers, and no altered one', () => {
      const bytes = readFileSync(file);
      // 8-byte addresses and lengths: the B-tree header covers 34 bytes, the heap header 142.
      const headers = [...structures(bytes, 'BTHD', 18 + 8 + 8), ...structures(bytes, 'FRHP', 22 + 12 * 8 + 3 * 8)];
      expect(headers.length).toBeGreaterThanOrEqual(4);
      for (const header of headers) {
        expect(checksumMatches(header, header.length - 4), header.toString('latin1', 0, 4)).toBe(true);
        const altered = Buffer.from(header);
        altered[10]! ^= 0x01;
        expect(checksumMatches(altered, altered.length - 4)).toBe(false);
      }
    });

    it('refuses a product whose attribute index HDF5 refuses, in one line naming the object', async () => {
      const bytes = readFileSync(file);
      const damaged = join(dir, 'damaged.nc');
      const leaf = bytes.indexOf('BTLF');
      expect(leaf).toBeGreaterThan(0);
      const copy = Buffer.from(bytes);
      // The first record's heap ID: HDF5 checks the node's checksum before it follows the ID.
      copy[leaf + 7]! ^= 0x40;
      writeFileSync(damaged, copy);
      const judge = spawnSync(
        PYTHON,
        [
          '-c',
          'import h5py, sys\nf = h5py.File(sys.argv[1], "r")\nfor o in (f, f["coherence"]): dict(o.attrs)',
          damaged,
        ],
        { encoding: 'utf8' },
      );
      expect(judge.status, 'h5py reads the damaged copy').not.toBe(0);
      await expect(openProduct(damaged)).rejects.toThrow(
        /damaged\.nc \(\/[a-z]*\): damaged: the B-tree node at address \d+ fails its checksum/,
      );
      (await openProduct(file)).close();
    });
  });
});
