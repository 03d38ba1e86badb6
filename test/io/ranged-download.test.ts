import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadFile, PARTIAL_SUFFIX } from '../../src/io/download.js';
import { OwnedFiles, ownedFiles } from '../../src/io/owned-dir.js';
import { MANIFEST } from '../../src/io/owned-manifest.js';
import { MIN_PART_BYTES, PARTS_SUFFIX, splitRanges } from '../../src/io/ranged-download.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * `--download-parts`: one file in several byte ranges at once, each continued after a failure. The server is a
 * real HTTP server on 127.0.0.1 that honours ranges the way S3 does (206 + Content-Range), and can be told to
 * ignore them, to cut every range short, or to send the wrong range.
 */
const SIZE = 3 * MIN_PART_BYTES + 12345;
function pattern(seed: number): Buffer {
  const out = Buffer.alloc(SIZE);
  for (let i = 0; i + 4 <= SIZE; i += 4) out.writeUInt32LE((i * 2654435761 + seed) >>> 0, i);
  return out;
}
const original = pattern(0);
/** The remote object: a test may replace it (another version of the file at the same URL, with another ETag). */
let body = original;
let etag = '"v1"';
/** Three ranges of ⌈SIZE / 3⌉ bytes (the file is too small for four of at least 8 MiB). */
const STEP = Math.ceil(SIZE / 3);
const sha256 = createHash('sha256').update(original).digest('hex');

let mode: 'ranges' | 'whole' | 'cut' | 'cut-whole' | 'wrong-range' = 'ranges';
let served = 0;
let ranges: string[] = [];
let server: Server;
let base: string;

function handle(request: IncomingMessage, response: ServerResponse): void {
  const range = /^bytes=(\d+)-(\d+)?$/.exec(request.headers.range ?? '');
  if (request.headers.range) ranges.push(request.headers.range);
  // As S3 does: a range whose If-Range names another version of the object gets the whole (current) object.
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, { ETag: etag });
    return void response.end();
  }
  const ifRange = request.headers['if-range'];
  if (!range || mode === 'whole' || (ifRange !== undefined && ifRange !== etag)) {
    response.writeHead(200, { 'Content-Length': String(SIZE), 'Accept-Ranges': 'none', ETag: etag });
    if (mode === 'cut-whole') {
      served += SIZE >> 1;
      response.write(body.subarray(0, SIZE >> 1), () => setTimeout(() => response.destroy(), 20));
      return;
    }
    served += SIZE;
    return void response.end(body);
  }
  const start = Number(range[1]);
  const end = range[2] === undefined ? SIZE - 1 : Number(range[2]);
  const shown = mode === 'wrong-range' ? start + 1 : start;
  response.writeHead(206, {
    ETag: etag,
    'Content-Length': String(end - start + 1),
    'Content-Range': `bytes ${shown}-${end}/${SIZE}`,
  });
  if (mode === 'cut') {
    // Half of the range, then the connection drops.
    const half = body.subarray(start, start + Math.floor((end - start + 1) / 2));
    served += half.length;
    response.write(half, () => setTimeout(() => response.destroy(), 20));
    return;
  }
  served += end - start + 1;
  response.end(body.subarray(start, end + 1));
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());
beforeEach(() => {
  body = original;
  etag = '"v1"';
  mode = 'ranges';
  served = 0;
  ranges = [];
});

const quick = { retries: 0, timeoutMs: 5000 };

describe('a download in byte ranges', () => {
  it('splits what is missing into at most N ranges of at least 8 MiB', () => {
    expect(splitRanges(SIZE, 0, 4)).toEqual([
      { start: 0, end: STEP, done: 0 },
      { start: STEP, end: 2 * STEP, done: 0 },
      { start: 2 * STEP, end: SIZE, done: 0 },
    ]);
    expect(splitRanges(SIZE, SIZE - 100, 4)).toEqual([{ start: SIZE - 100, end: SIZE, done: 0 }]);
  });

  it('fetches the ranges side by side into one file, checked, with nothing left beside it', async () => {
    const dir = tempDir('gunw-ranged-');
    const seen: number[] = [];
    const result = await downloadFile(`${base}/slc.zip`, join(dir, 'slc.zip'), {
      ...quick,
      owned: ownedFiles(dir, '--out'),
      bytes: SIZE,
      sha256,
      parts: 4,
      onProgress: (received) => seen.push(received),
    });
    expect(result).toMatchObject({ bytes: SIZE, reused: false });
    expect(readFileSync(join(dir, 'slc.zip')).equals(body)).toBe(true);
    expect(ranges.sort()).toEqual(
      [`bytes=0-${STEP - 1}`, `bytes=${STEP}-${2 * STEP - 1}`, `bytes=${2 * STEP}-${SIZE - 1}`].sort(),
    );
    expect(served).toBe(SIZE);
    expect(seen.at(-1)).toBe(SIZE);
    expect(readdirSync(dir).filter((f) => f !== '.gunw-written.json')).toEqual(['slc.zip']);
  });

  it('keeps what every range got when the link drops, and fetches only the rest on the next run', async () => {
    const dir = tempDir('gunw-ranged-');
    const path = join(dir, 'slc.zip');
    const options = { ...quick, owned: ownedFiles(dir, '--out'), bytes: SIZE, sha256 };
    mode = 'cut';
    const error = await downloadFile(`${base}/slc.zip`, path, { ...options, parts: 3 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^download of http:\/\/127\.0\.0\.1:\d+\/slc\.zip broke off with \d+ of \d+ bytes \(.+\); run again to continue$/,
    );
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}${PARTIAL_SUFFIX}`)).toBe(true);
    const saved = JSON.parse(readFileSync(`${path}${PARTS_SUFFIX}`, 'utf8')) as { parts: { done: number }[] };
    const kept = saved.parts.reduce((n, p) => n + p.done, 0);
    expect(kept).toBeGreaterThan(0);

    // The next run asks for one part only: the ranges under way are continued all the same.
    mode = 'ranges';
    served = 0;
    ranges = [];
    await downloadFile(`${base}/slc.zip`, path, { ...options, parts: 1 });
    expect(readFileSync(path).equals(body)).toBe(true);
    expect(served).toBe(SIZE - kept);
    expect(ranges).toHaveLength(3);
    expect(existsSync(`${path}${PARTS_SUFFIX}`)).toBe(false);
  });

  it('falls back to one stream when the server answers a range with the whole file', async () => {
    const dir = tempDir('gunw-ranged-');
    mode = 'whole';
    const path = join(dir, 'slc.zip');
    await downloadFile(`${base}/slc.zip`, path, {
      ...quick,
      owned: ownedFiles(dir, '--out'),
      bytes: SIZE,
      sha256,
      parts: 4,
    });
    expect(readFileSync(path).equals(body)).toBe(true);
    // One range request (answered whole and dropped), then one plain request.
    expect(ranges).toEqual([`bytes=0-${STEP - 1}`]);
    expect(existsSync(`${path}${PARTS_SUFFIX}`)).toBe(false);
  });

  it('refuses a range the server did not ask for, naming both', async () => {
    const dir = tempDir('gunw-ranged-');
    mode = 'wrong-range';
    const error = await downloadFile(`${base}/slc.zip`, join(dir, 'slc.zip'), {
      ...quick,
      owned: ownedFiles(dir, '--out'),
      bytes: SIZE,
      parts: 2,
      service: 'SLC download',
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/asked for bytes 0-\d+ of \d+, the server sent bytes 1-\d+\/\d+/);
    expect(existsSync(join(dir, 'slc.zip'))).toBe(false);
  });

  it('starts again when ranges were under way but the size is no longer known (the record cannot be trusted)', async () => {
    const dir = tempDir('gunw-ranged-');
    const path = join(dir, 'slc.zip');
    const owned = ownedFiles(dir, '--out');
    mode = 'cut';
    await downloadFile(`${base}/slc.zip`, path, { ...quick, owned, bytes: SIZE, parts: 3 }).catch(() => undefined);
    expect(existsSync(`${path}${PARTS_SUFFIX}`)).toBe(true);
    mode = 'ranges';
    ranges = [];
    await downloadFile(`${base}/slc.zip`, path, { ...quick, owned, sha256, parts: 4 });
    expect(readFileSync(path).equals(body)).toBe(true);
    expect(ranges).toEqual([]);
    expect(existsSync(`${path}${PARTS_SUFFIX}`)).toBe(false);
  });

  it('starts over, never splices, when the remote file changed since the partial was written', async () => {
    for (const [cut, parts] of [
      ['cut', 3],
      ['cut-whole', 1],
    ] as const) {
      const dir = tempDir('gunw-ranged-');
      const path = join(dir, 'slc.zip');
      const owned = ownedFiles(dir, '--out');
      body = original;
      etag = '"v1"';
      mode = cut;
      const error = await downloadFile(`${base}/slc.zip`, path, { ...quick, owned, bytes: SIZE, parts }).catch(
        (e: unknown) => e,
      );
      expect(String(error)).toMatch(/run again to continue/);
      expect(readFileSync(`${path}${PARTIAL_SUFFIX}`).length).toBeGreaterThan(0);
      // Another version of the file now stands at the URL, of the same size.
      body = pattern(7);
      etag = '"v2"';
      mode = 'ranges';
      const done = await downloadFile(`${base}/slc.zip`, path, { ...quick, owned, bytes: SIZE, parts });
      expect(done.reused).toBe(false);
      expect(readFileSync(path).equals(body), `${cut}`).toBe(true);
      expect(readdirSync(dir).filter((n) => n.includes('.gunw-'))).toEqual(['.gunw-written.json']);
    }
  });

  it('never continues a partial file it did not make, and leaves it as it is', async () => {
    const dir = tempDir('gunw-ranged-');
    const path = join(dir, 'slc.zip');
    writeFileSync(`${path}${PARTIAL_SUFFIX}`, 'the user’s notes');
    for (const parts of [1, 3]) {
      const error = await downloadFile(`${base}/slc.zip`, path, {
        ...quick,
        owned: ownedFiles(dir, '--out'),
        bytes: SIZE,
        parts,
      }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/slc\.zip\.gunw-partial is there and gunw did not write it/);
    }
    expect(readFileSync(`${path}${PARTIAL_SUFFIX}`, 'utf8')).toBe('the user’s notes');
    expect(ranges).toEqual([]);
  });

  it('reuses a finished download of an earlier run only while the server says it is current', async () => {
    const dir = tempDir('gunw-ranged-');
    const path = join(dir, 'slc.zip');
    await downloadFile(`${base}/slc.zip`, path, { ...quick, owned: ownedFiles(dir, '--out'), bytes: SIZE });
    // As a later run sees it: the manifest names another run.
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    manifest.files['slc.zip'].run = 'an-earlier-run';
    writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest));
    served = 0;
    const current = await downloadFile(`${base}/slc.zip`, path, {
      ...quick,
      owned: new OwnedFiles(dir, '--out'),
      bytes: SIZE,
    });
    expect(current.reused).toBe(true);
    expect(served).toBe(0);
    body = pattern(3);
    etag = '"v3"';
    const error = await downloadFile(`${base}/slc.zip`, path, {
      ...quick,
      owned: new OwnedFiles(dir, '--out'),
      bytes: SIZE,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/slc\.zip is from an earlier run; pass --overwrite to replace it/);
    expect(readFileSync(path).equals(original)).toBe(true);
    const replaced = await downloadFile(`${base}/slc.zip`, path, {
      ...quick,
      owned: new OwnedFiles(dir, '--out'),
      bytes: SIZE,
      intent: { set: 'download', overwrite: true },
    });
    expect(replaced.reused).toBe(false);
    expect(readFileSync(path).equals(body)).toBe(true);
  });

  it('never takes a file of the right size it did not write for the download', async () => {
    const dir = tempDir('gunw-ranged-');
    const path = join(dir, 'slc.zip');
    writeFileSync(path, Buffer.alloc(SIZE));
    const error = await downloadFile(`${base}/slc.zip`, path, {
      ...quick,
      owned: ownedFiles(dir, '--out'),
      bytes: SIZE,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/slc\.zip is there already and gunw did not write it/);
    expect(readFileSync(path).equals(Buffer.alloc(SIZE))).toBe(true);
  });
});
