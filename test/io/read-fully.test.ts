import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFully } from '../../src/io/read-fully.js';
import { tempDir } from '../helpers/tmp.js';

describe('positioned reads', () => {
  it('fill the whole target from a position, and say how far they got when the file ends first', () => {
    const path = join(tempDir(), 'ten.bin');
    writeFileSync(path, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const fd = openSync(path, 'r');
    try {
      const target = new Uint8Array(4);
      readFully(fd, target, 3, () => new Error('not expected'));
      expect(Array.from(target)).toEqual([3, 4, 5, 6]);
      expect(() => readFully(fd, new Uint8Array(6), 6, (got) => new Error(`ended after ${got}`))).toThrow(
        'ended after 4',
      );
    } finally {
      closeSync(fd);
    }
  });
});
