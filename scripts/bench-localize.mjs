#!/usr/bin/env node
// Benchmark of localization against a loopback server that caps every connection's rate (as a congested link to a
// DAAC does): four SLC-sized (scaled down) zips plus the smaller files of the other localization steps, fetched by
// the project's own steps. Reported beside its peer, the slowest single file fetched alone in the same run:
//
//   node scripts/bench-localize.mjs [--mb 24] [--rate 8] [--workers 4] [--parts 4]
//
// Target (issue 16): the whole localization takes at most 1.3× its slowest single file, and a killed run resumes
// without fetching the finished bytes again. Also measured: one file of all four's size in `--parts` byte ranges
// (`--download-parts`) against the same file in one stream.
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EarthdataSession } from '../lib/io/earthdata.js';
import { runSteps } from '../lib/processor/runner.js';
import { demStep, slcStep } from '../lib/processor/localize.js';
import { glo30TileId } from '../lib/processor/dem.js';
import { writeArrayBuffer } from 'geotiff';
import { downloadFile } from '../lib/io/download.js';
import { ownedFiles } from '../lib/io/owned-dir.js';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '24' },
    rate: { type: 'string', default: '8' },
    workers: { type: 'string', default: '4' },
    parts: { type: 'string', default: '4' },
  },
});
const MB = 1024 * 1024;
const size = Number(values.mb) * MB;
const rate = Number(values.rate) * MB;
const files = new Map(
  ['slc-1', 'slc-2', 'slc-3', 'slc-4'].map((name, i) => [`/${name}.zip`, Buffer.alloc(size + i * 4096, i + 1)]),
);
files.set('/big.zip', Buffer.alloc(4 * size, 9));

/**
 * The DEM step's inputs, served beside the SLCs on the same capped link: a GLO-30-shaped tile at 80° N (3600 rows,
 * 720 columns: GLO-30's posting there, 10 MB) and a 0.25° geoid grid over it.
 */
function geoTiff(values, width, height, west, north, dx, dy) {
  const bytes = writeArrayBuffer(values, {
    width,
    height,
    ModelPixelScale: [dx, dy, 0],
    ModelTiepoint: [0, 0, 0, west, north, 0],
    GTModelTypeGeoKey: 2,
    GTRasterTypeGeoKey: 2,
    GeographicTypeGeoKey: 4326,
  });
  return Buffer.from(bytes);
}
const DEM_BOUNDS = [-71, 80, -70, 81];
const tileId = glo30TileId(80, -71);
files.set(
  `/glo30/${tileId}/${tileId}.tif`,
  geoTiff(
    Float32Array.from({ length: 720 * 3600 }, (_, i) => 200 + (i % 720) * 0.1 + Math.floor(i / 720) * 0.01),
    720,
    3600,
    -71,
    81,
    1 / 720,
    1 / 3600,
  ),
);
files.set(
  '/geoid.tif',
  geoTiff(
    Float32Array.from({ length: 17 * 13 }, (_, i) => 20 + (i % 17) * 0.1),
    17,
    13,
    -72,
    82,
    0.25,
    0.25,
  ),
);
let servedBytes = 0;

/** Every connection gets `rate` bytes per second, in 64 KiB pieces; Range requests are honoured (as S3 does). */
const server = createServer((request, response) => {
  const whole = files.get(new URL(request.url, 'http://x').pathname);
  if (!whole) return void response.writeHead(404).end();
  const range = /^bytes=(\d+)-(\d+)?/.exec(String(request.headers.range ?? ''));
  const start = range ? Number(range[1]) : 0;
  const last = range && range[2] !== undefined ? Number(range[2]) : whole.length - 1;
  const body = whole.subarray(0, last + 1);
  response.writeHead(range ? 206 : 200, {
    'Content-Length': String(body.length - start),
    ...(range ? { 'Content-Range': `bytes ${start}-${last}/${whole.length}` } : {}),
  });
  let at = start;
  const piece = 64 * 1024;
  const timer = setInterval(
    () => {
      if (at >= body.length) {
        clearInterval(timer);
        return void response.end();
      }
      const next = body.subarray(at, Math.min(body.length, at + piece));
      at += next.length;
      servedBytes += next.length;
      response.write(next);
    },
    (piece / rate) * 1000,
  );
  response.on('close', () => clearInterval(timer));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const session = new EarthdataSession({ username: 'bench', password: 'bench', ursHost: '127.0.0.1:9' });
const slcs = [...files.keys()]
  .filter((path) => /^\/slc-\d\.zip$/.test(path))
  .map((path) => ({
    scene: path.slice(1, -4),
    url: `${base}${path}`,
    file: path.slice(1),
    bytes: files.get(path).length,
  }));
const services = (workers) => ({
  earthdata: session,
  downloadWorkers: workers,
});
const dem = {
  bounds: DEM_BOUNDS,
  resolution: 30,
  fullResolution: 'full_res.dem.wgs84',
  lowResolution: 'low_res.dem.wgs84',
  from: null,
};
const demSources = { tilesUrl: `${base}/glo30`, geoidUrl: `${base}/geoid.tif` };

/** The localization steps under test, as one step group; `withDem` adds the DEM step beside the SLCs. */
async function timed(localize, workers, workdir, withDem = false) {
  const steps = [slcStep(localize, services(workers)), ...(withDem ? [demStep({ dem }, demSources)] : [])];
  const started = performance.now();
  await runSteps(
    steps.map((step) => ({ ...step, group: 'localize' })),
    {
      workdir,
      job: 'bench',
      resume: false,
    },
  );
  return (performance.now() - started) / 1000;
}

const scratch = mkdtempSync(join(tmpdir(), 'gunw-bench-localize-'));
try {
  // The peer: the slowest single file alone (the largest, on one capped connection).
  const single = await timed({ slcs: [slcs.at(-1)] }, 1, join(scratch, 'single'));
  const one = await timed({ slcs }, 1, join(scratch, 'one-at-a-time'));
  const side = await timed({ slcs }, Number(values.workers), join(scratch, 'side-by-side'));
  const withDem = await timed({ slcs }, Number(values.workers), join(scratch, 'with-dem'), true);

  // Resume: stop a run half-way, run again, count the bytes the server sent the second time.
  const resumeDir = join(scratch, 'resume');
  const halfway = new Promise((resolve) => setTimeout(resolve, ((size / rate) * 1000) / 2));
  const killed = timed({ slcs }, Number(values.workers), resumeDir).catch(() => undefined);
  await halfway;
  server.closeAllConnections();
  await killed;
  const kept = readdirSync(resumeDir)
    .filter((f) => f.endsWith('.gunw-partial') || f.endsWith('.zip'))
    .reduce((n, f) => n + statSync(join(resumeDir, f)).size, 0);
  servedBytes = 0;
  await timed({ slcs }, Number(values.workers), resumeDir);
  const fetchedAgain = servedBytes;
  const total = slcs.reduce((n, slc) => n + slc.bytes, 0);

  // One large file on a capped link: one stream against byte ranges side by side.
  const big = (dir, parts) => (
    mkdirSync(join(scratch, dir), { recursive: true }),
    downloadFile(`${base}/big.zip`, join(scratch, dir, 'big.zip'), {
      bytes: files.get('/big.zip').length,
      parts,
      owned: ownedFiles(join(scratch, dir), '--out'),
    })
  );
  let started = performance.now();
  await big('big-1', 1);
  const oneStream = (performance.now() - started) / 1000;
  started = performance.now();
  await big('big-n', Number(values.parts));
  const inParts = (performance.now() - started) / 1000;

  const ratio = (x) => (x / single).toFixed(2);
  console.log(
    `localization of 4 × ${values.mb} MB at ${values.rate} MB/s per connection (slowest single file: ${single.toFixed(2)} s)`,
  );
  console.log(`| downloads | seconds | × slowest single file |`);
  console.log(`|---|---:|---:|`);
  console.log(`| one at a time | ${one.toFixed(2)} | ${ratio(one)} |`);
  console.log(`| ${values.workers} side by side | ${side.toFixed(2)} | ${ratio(side)} (target ≤ 1.30) |`);
  console.log(
    `| ${values.workers} side by side + the DEM (a 10 MB GLO-30 tile and the geoid) | ${withDem.toFixed(2)} | ${ratio(withDem)} (target ≤ 1.30) |`,
  );
  console.log(
    `resume after a kill half-way: ${(kept / MB).toFixed(1)} MB were kept, ${(fetchedAgain / MB).toFixed(1)} MB fetched again of ${(total / MB).toFixed(1)} MB (target: only the missing ${((total - kept) / MB).toFixed(1)} MB)`,
  );
  console.log(
    `one ${(files.get('/big.zip').length / MB).toFixed(0)} MB file: one stream ${oneStream.toFixed(2)} s, ${values.parts} ranges side by side (--download-parts ${values.parts}) ${inParts.toFixed(2)} s (${(inParts / oneStream).toFixed(2)}×)`,
  );
} finally {
  server.close();
  rmSync(scratch, { recursive: true, force: true });
}
