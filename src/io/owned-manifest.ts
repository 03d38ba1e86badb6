import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { plainText } from '../text.js';

/**
 * Directories the user names for output (`--report-dir`, `--out`, caches, candidates) may only lose what the
 * command itself created in that run. Each keeps a manifest (`.gunw-written.json`) of the files the project wrote
 * there: size and modification time (a file counts as the project's only while both still match, so a file the
 * user changed is never the project's again), the kind of output it belongs to (a report, a sample, a delivery)
 * and the run that wrote it. A run replaces only its own files; an earlier run's output of the same kind only when
 * the user says so (`--overwrite`); other kinds of output and the user's files never. Temporary files and staging
 * directories are recorded before they are made, so a later run removes those of a killed run, and only those.
 */

export const MANIFEST = '.gunw-written.json';

/** This process's run: what it writes is its own to replace and remove. */
export const RUN = `${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

const fileEntry = z.object({
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** The kind of output (absent in manifests of earlier versions). */
  set: z.string().optional(),
  run: z.string().optional(),
  /** For a download: where it came from and the server's validators, to ask later whether it is still current. */
  source: z.object({ url: z.string(), etag: z.string().nullable(), lastModified: z.string().nullable() }).optional(),
});

/** Where a downloaded file came from (a URL without credentials or query) and the server's validators for it. */
export type DownloadSource = NonNullable<z.infer<typeof fileEntry>['source']>;

const temporaryEntry = z.object({
  run: z.string(),
  pid: z.number().int().positive(),
  /** Kept for a later run to continue (a download's partial file), not removed when its run is gone. */
  resumable: z.boolean().optional(),
});

const manifestSchema = z.object({
  writtenBy: z.literal('dockerized-topsapp'),
  files: z.record(z.string(), fileEntry),
  temporary: z.record(z.string(), temporaryEntry).optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type FileEntry = z.infer<typeof fileEntry>;

/** What a write is part of, and whether the user allowed replacing an earlier run's output of that kind. */
export interface WriteIntent {
  /** The kind of output: files of another kind are never replaced or removed. */
  readonly set: string;
  /** The user said so (`--overwrite`): an earlier run's output of the same kind may be replaced. */
  readonly overwrite?: boolean;
  /** How the user says so, for the refusal's hint (default `--overwrite`). */
  readonly overwriteFlag?: string;
}

const emptyManifest = (): Manifest => ({ writtenBy: 'dockerized-topsapp', files: {} });

/** A path inside the directory, as the manifest records it: relative, forward slashes, no `..`. */
export function isInside(name: string): boolean {
  return (
    name.length > 0 &&
    !name.startsWith('/') &&
    !name.includes('\\') &&
    !name.split('/').some((part) => part === '..' || part === '.' || part === '')
  );
}

export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return emptyManifest();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // Unreadable: the project claims nothing in this directory, which only makes it more careful.
    return emptyManifest();
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) return emptyManifest();
  // A manifest is a file in the user's directory like any other: names pointing outside it are ignored.
  const inside = <T>(record: Record<string, T> | undefined): Record<string, T> =>
    Object.fromEntries(Object.entries(record ?? {}).filter(([name]) => isInside(name)));
  return {
    writtenBy: result.data.writtenBy,
    files: inside(result.data.files),
    temporary: inside(result.data.temporary),
  };
}

/** Every file below `dir` (names relative to `root`, forward slashes); symbolic links count as files. */
export function filesBelow(root: string, dir = root): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

export const pathOf = (root: string, name: string): string => join(root, ...name.split('/'));

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `name` lies in the subdirectory `prefix` ('' for the whole directory). */
export const within = (prefix: string, name: string): boolean => prefix === '' || name.startsWith(`${prefix}/`);

export const listed = (names: readonly string[]): string =>
  `${names.slice(0, 3).map(plainText).join(', ')}${names.length > 3 ? ', …' : ''}`;
