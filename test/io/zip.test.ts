import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZipFile, zipEntries } from '../../src/io/zip.js';
import { tempDir } from '../helpers/tmp.js';
import { hasCommand, PYTHON } from '../helpers/tools.js';
import { makeZip } from '../helpers/zip-writer.js';

const files = {
  'a.SAFE/manifest.safe': '<manifest/>',
  'a.SAFE/annotation/s1a-iw2-slc-vv-x.xml': 'x'.repeat(10_000),
  'dir/': '',
};

describe('zip reading', () => {
  it.each([false, true])('reads entries of an archive in memory and on disk (zip64 %s)', async (zip64) => {
    const archive = makeZip(files, { zip64 });
    const inMemory = await zipEntries(archive);
    expect(inMemory.map((e) => [e.name, e.directory, e.size])).toEqual([
      ['a.SAFE/manifest.safe', false, 11],
      ['a.SAFE/annotation/s1a-iw2-slc-vv-x.xml', false, 10_000],
      ['dir/', true, 0],
    ]);
    expect((await inMemory[1]!.read()).toString()).toBe('x'.repeat(10_000));
    const path = join(tempDir(), `t${zip64}.zip`);
    writeFileSync(path, archive);
    expect(await readZipFile(path, async (entries) => (await entries[0]!.read()).toString())).toBe('<manifest/>');
  });

  it.runIf(hasCommand(PYTHON))('writes test archives that Python zipfile accepts, ZIP64 included', () => {
    const path = join(tempDir(), 'cross.zip');
    writeFileSync(path, makeZip(files, { zip64: true }));
    const result = spawnSync(
      PYTHON,
      [
        '-c',
        `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.read("a.SAFE/annotation/s1a-iw2-slc-vv-x.xml")))`,
        path,
      ],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('10000');
  });

  it('says when a file is not a zip archive', async () => {
    await expect(zipEntries(Buffer.from('{"type": "FeatureCollection"}'), 'frames.geojson')).rejects.toThrow(
      'frames.geojson is not a ZIP archive',
    );
  });

  it('refuses an entry whose name points outside the archive, and one that inflates to another size', async () => {
    await expect(zipEntries(makeZip({ '../escape.txt': 'x' }), 'evil.zip')).rejects.toThrow(
      /^evil\.zip: damaged ZIP archive \(.*\.\.\/escape\.txt.*\)$/,
    );
    const archive = makeZip({ 'a.txt': 'y'.repeat(100) });
    // The central directory's uncompressed size (offset 24 of its entry) says 99 where 100 are stored.
    const central = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    archive.writeUInt32LE(99, central + 24);
    const [entry] = await zipEntries(archive, 'odd.zip');
    await expect(entry!.read()).rejects.toThrow(/^odd\.zip: a\.txt cannot be read \(.+\)$/);
  });
});
