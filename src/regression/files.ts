import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { downloadFile } from '../io/download.js';
import type { HttpOptions } from '../io/http.js';
import { GUNW_ID_PATTERN } from '../product/gunw-id.js';
import type { RegressionCase } from './case.js';

/**
 * The files of a regression case: its reference (a local file, or a URL fetched once into a cache keyed by the
 * SHA-256, verified every time) and its candidate (a named file, the product of the case's job found in a
 * directory by its product ID, or a URL).
 */

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface FetchOptions {
  readonly http?: HttpOptions;
  readonly onProgress?: (received: number, total: number | null) => void;
}

/** The reference product of a case on disk, its checksum verified; URLs are downloaded once into `cacheDir`. */
export async function referenceFile(c: RegressionCase, cacheDir: string, options: FetchOptions = {}): Promise<string> {
  const reference = c.reference!;
  if (reference.path) {
    if (!existsSync(reference.path)) throw new UsageError(`${c.file}:reference.path: ${reference.path} does not exist`);
    const actual = await sha256File(reference.path);
    if (actual !== reference.sha256) throw new UsageError(`${c.file}:reference: ${reference.path} has SHA-256 ${actual}, the case records ${reference.sha256}; the reference changed (record the new checksum only if that was intended)`);
    return reference.path;
  }
  mkdirSync(cacheDir, { recursive: true });
  const cached = join(cacheDir, `${reference.sha256}.nc`);
  if (existsSync(cached) && (await sha256File(cached)) === reference.sha256) return cached;
  const downloading = join(cacheDir, `${reference.sha256}.download`);
  await downloadFile(reference.url!, downloading, { service: `reference download for case ${c.name}`, onProgress: options.onProgress, ...options.http });
  const actual = await sha256File(downloading);
  if (actual !== reference.sha256) {
    rmSync(downloading, { force: true });
    throw new UsageError(`${c.file}:reference: ${reference.url} has SHA-256 ${actual}, the case records ${reference.sha256}`);
  }
  renameSync(downloading, cached);
  return cached;
}

/** The GUNW products (`*.nc` named by a product ID) in a directory and its subdirectories. */
function productsIn(directory: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 3) walk(path, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.nc') && GUNW_ID_PATTERN.test(entry.name.slice(0, -3))) found.push(path);
    }
  };
  walk(directory, 0);
  return found;
}

/** The case's candidate in `directory`: named by the case, or the one product whose ID has the job's scene hash and prefix. */
export function findCandidate(c: RegressionCase, directory: string | undefined): string | null {
  if (c.candidate?.path) {
    if (!existsSync(c.candidate.path)) throw new UsageError(`${c.file}:candidate.path: ${c.candidate.path} does not exist`);
    return c.candidate.path;
  }
  if (!directory) return null;
  const matches = productsIn(directory).filter((path) => {
    const id = basename(path, '.nc');
    const tokens = id.split('-');
    return tokens[tokens.length - 2] === c.productKey.hash && (c.productKey.prefix === 'S1-GUNW' ? id.startsWith('S1-GUNW-') : id.startsWith('S1-GUNW_CUSTOM-'));
  });
  if (matches.length > 1) {
    // Several versions of the same product: the most recently written is the candidate.
    matches.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  }
  return matches[0] ?? null;
}

export async function downloadCandidate(c: RegressionCase, directory: string, options: FetchOptions = {}): Promise<string> {
  const url = c.candidate!.url!;
  mkdirSync(directory, { recursive: true });
  const name = basename(new URL(url).pathname) || `${c.name}.nc`;
  const path = join(directory, `${c.name}--${name}`);
  await downloadFile(url, path, { service: `candidate download for case ${c.name}`, onProgress: options.onProgress, ...options.http });
  return path;
}
