import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { tempDir } from '../helpers/tmp.js';

describe('writeFileAtomic', () => {
  it('replaces a file whole, and on failure leaves the old file and no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'plan.json');
    writeFileSync(path, 'old');
    writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['plan.json']);
    // A target that cannot be replaced (a directory in its place): the error surfaces, nothing is left behind.
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(blocked, 'x')).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'plan.json']);
  });
});
