// Child process of test/netcdf/damaged-files.test.ts: for each damaged file named on stdin (one JSON task per
// line), what this project does with it, as users meet it:
//   - `gunw diff ORIGINAL DAMAGED` run in this process through the CLI's own entry (exit code, first stderr line);
//   - every numeric variable read through the reader the comparison uses, hashed as float64 (NaN canonical) the
//     way hdf5_mutation.py hashes what h5py reads;
//   - the peak resident memory of this process during the file (VmHWM, reset before each file).
// A line `start I` before each file and one JSON line after it on stdout. It runs the built library (lib/), which `npm test` builds first.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { gunwProgram } from '../../lib/cli/gunw-program.js';
import { runProgram } from '../../lib/cli/main.js';
import { UsageError } from '../../lib/errors.js';
import { isNumericDType, walkVariables } from '../../lib/netcdf/model.js';
import { openProduct } from '../../lib/netcdf/open.js';
import { openSource } from '../../lib/netcdf/sources.js';

function resetPeak() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux: the peak then covers every file so far, which only makes the bound stricter.
  }
}

function peakMb() {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** Elements read per block: memory stays bounded whatever the variable declares. */
const BLOCK_ELEMENTS = 1 << 20;
/** What hdf5_mutation.py's judge calls too big to read whole (256 MiB). */
const TOO_BIG_BYTES = 256 * 1024 * 1024;

async function hashVariable(reader, variable) {
  const shape = variable.shape;
  const total = shape.reduce((n, s) => n * s, 1);
  if (total * 8 > TOO_BIG_BYTES) return 'too-big';
  if (shape.length === 0) {
    const value = Float64Array.from(reader.readNumeric(variable.path), Number);
    if (Number.isNaN(value[0])) value[0] = NaN;
    return createHash('sha1').update(new Uint8Array(value.buffer)).digest('hex');
  }
  const source = await openSource(reader.sourceFor(variable.path));
  try {
    const hash = createHash('sha1');
    if (total === 0) return hash.digest('hex');
    const slab = shape.slice(1).reduce((n, s) => n * s, 1);
    const step = Math.max(1, Math.floor(BLOCK_ELEMENTS / slab));
    const extent = shape[0];
    for (let first = 0; first < extent; first += step) {
      const start = shape.map((_, d) => (d === 0 ? first : 0));
      const count = shape.map((s, d) => (d === 0 ? Math.min(step, extent - first) : s));
      const view = source.read(start, count);
      const row = new Float64Array(view.rowLength);
      for (let r = 0; r < view.rows; r++) {
        view.readRow(r, row);
        for (let k = 0; k < row.length; k++) if (Number.isNaN(row[k])) row[k] = NaN;
        hash.update(new Uint8Array(row.buffer, 0, row.byteLength));
      }
      view.release?.();
    }
    return hash.digest('hex');
  } finally {
    source.close();
  }
}

async function readEverything(path) {
  const reader = await openProduct(path);
  try {
    const numeric = {};
    for (const variable of walkVariables(reader.root)) {
      if (!isNumericDType(variable.dtype)) continue;
      numeric[variable.path] = await hashVariable(reader, variable);
    }
    return { status: 'ok', numeric };
  } finally {
    reader.close();
  }
}

function outcome(error) {
  return {
    status: error instanceof UsageError ? 'refused' : 'crashed',
    error: `${error?.name}: ${error?.message}`.slice(0, 400),
  };
}

async function diffExit(original, damaged) {
  let stderr = '';
  const io = { stdout: () => undefined, stderr: (text) => (stderr += text), stderrIsTTY: false, cwd: process.cwd() };
  const code = await runProgram(
    gunwProgram(io),
    ['diff', original, damaged, '--format', 'json', '--workers', '0', '--no-progress'],
    io,
  );
  return { code, stderr: stderr.slice(0, 400) };
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const task = JSON.parse(line);
  process.stdout.write(`start ${task.i}\n`);
  resetPeak();
  const started = performance.now();
  let read;
  try {
    read = await readEverything(task.damaged);
  } catch (error) {
    read = outcome(error);
  }
  const diff = await diffExit(task.original, task.damaged);
  process.stdout.write(
    `${JSON.stringify({ i: task.i, read, diff, rssMb: Math.round(peakMb()), ms: Math.round(performance.now() - started) })}\n`,
  );
}
