import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * Directories the user names for output (`--report-dir`, `--out`, caches, candidates) may only lose files this
 * project wrote there. Each keeps a manifest (`.gunw-written.json`) of the files the project wrote, with the size
 * and modification time each had when written; a file counts as the project's only while both still match, so a
 * file the user put there, or changed since, is never replaced or removed.
 */

export const MANIFEST = '.gunw-written.json';

/** Names the project gives its own temporary files and directories (left behind only by a killed run). */
const OWN_TEMPORARY = /(^|\/)\.gunw-staging-[\d-]+(\/|$)|\.gunw-partial(-\d+)?$|\.gunw-parts$/;

const manifestSchema = z.object({
  writtenBy: z.literal('dockerized-topsapp'),
  files: z.record(z.string(), z.object({ size: z.number().int().nonnegative(), mtimeMs: z.number() })),
});

type Manifest = z.infer<typeof manifestSchema>;

const emptyManifest = (): Manifest => ({ writtenBy: 'dockerized-topsapp', files: {} });

/** A path inside the directory, as the manifest records it: relative, forward slashes, no `..`. */
function isInside(name: string): boolean {
  return (
    name.length > 0 &&
    !name.startsWith('/') &&
    !name.includes('\\') &&
    !name.split('/').some((part) => part === '..' || part === '.' || part === '')
  );
}

function readManifest(dir: string): Manifest {
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
  return {
    ...result.data,
    files: Object.fromEntries(Object.entries(result.data.files).filter(([name]) => isInside(name))),
  };
}

/** Every file below `dir` (names relative to `root`, forward slashes); symbolic links count as files. */
function filesBelow(root: string, dir = root): string[] {
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

const pathOf = (root: string, name: string): string => join(root, ...name.split('/'));

/**
 * The project's record of what it wrote in one directory (`root`). Writing a file goes through {@link claim},
 * which refuses to replace a file the project did not write; whole subdirectories (or the directory itself) are
 * written with {@link beginDirectory}.
 */
export class OwnedFiles {
  private readonly manifest: Manifest;
  private staged = 0;

  constructor(
    readonly dir: string,
    private readonly option: string,
  ) {
    if (existsSync(dir) && !statSync(dir).isDirectory())
      throw new UsageError(`${option} ${dir}: is a file, not a directory; choose a directory`);
    mkdirSync(dir, { recursive: true });
    this.manifest = readManifest(dir);
  }

  /** Whether `name` is still exactly the file the project recorded writing. */
  owns(name: string): boolean {
    const entry = this.manifest.files[name];
    if (!entry) return false;
    try {
      const stats = lstatSync(pathOf(this.dir, name));
      return stats.isFile() && stats.size === entry.size && stats.mtimeMs === entry.mtimeMs;
    } catch {
      return false;
    }
  }

  /** The path of `name`, which the project may write: absent, or written by the project. */
  claim(name: string): string {
    if (!isInside(name))
      throw new UsageError(`${this.option} ${this.dir}: ${JSON.stringify(name)} is not a plain file name inside it`);
    const path = pathOf(this.dir, name);
    if (existsSync(path) && !this.owns(name)) {
      throw new UsageError(
        `${this.option} ${this.dir}: ${name} is there already and gunw did not write it; move it away or choose another directory`,
      );
    }
    return path;
  }

  recordWritten(...names: string[]): void {
    for (const name of names) {
      const stats = statSync(pathOf(this.dir, name));
      this.manifest.files[name] = { size: stats.size, mtimeMs: stats.mtimeMs };
    }
    this.save();
  }

  /** Write `name` whole (under a temporary name first), unless a file the project did not write is there. */
  writeFile(name: string, content: string | Uint8Array): string {
    const path = this.claim(name);
    mkdirSync(dirname(path), { recursive: true });

    writeFileAtomic(path, content, '.gunw-partial');
    this.recordWritten(name);
    return path;
  }

  /**
   * Write the whole content of the subdirectory `prefix` ('' for this directory itself): files go into a staging
   * directory, which replaces the old content at {@link OwnedDirectoryWrite.commit}. The subdirectory must be absent,
   * empty, or hold only files the project wrote there; a new one appears only when complete.
   */
  beginDirectory(prefix: string): OwnedDirectoryWrite {
    if (prefix !== '' && !isInside(prefix))
      throw new UsageError(`${this.option} ${this.dir}: ${JSON.stringify(prefix)} is not a plain name inside it`);
    const target = prefix === '' ? this.dir : pathOf(this.dir, prefix);
    if (existsSync(target) && !statSync(target).isDirectory())
      throw new UsageError(`${this.option} ${target}: is a file, not a directory`);
    const foreign = filesBelow(this.dir, target).filter(
      (name) => name !== MANIFEST && !OWN_TEMPORARY.test(name) && !this.owns(name),
    );
    if (foreign.length > 0) {
      throw new UsageError(
        `${this.option} ${target}: holds files gunw did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); choose a new or empty directory`,
      );
    }
    mkdirSync(this.dir, { recursive: true });
    const staging = join(this.dir, `.gunw-staging-${process.pid}-${this.staged++}`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    return new OwnedDirectoryWrite(this, prefix, target, staging);
  }

  /** @internal Used by {@link OwnedDirectoryWrite.commit}. */
  replaceContent(prefix: string, target: string, staging: string): void {
    const within = (name: string): string => (prefix === '' ? name : `${prefix}/${name}`);
    const written = filesBelow(staging);
    const old = filesBelow(this.dir, target).filter((name) => !name.startsWith('.gunw-staging-'));
    if (old.length === 0 && prefix !== '') {
      // A new subdirectory: it appears in one rename, complete.
      if (existsSync(target)) rmdirSync(target);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(staging, target);
    } else {
      // Only files that are the project's (checked again now) or its temporary files are removed.
      const emptied = new Set<string>();
      for (const name of old) {
        if (name === MANIFEST || (!this.owns(name) && !OWN_TEMPORARY.test(name))) continue;
        rmSync(pathOf(this.dir, name), { force: true });
        delete this.manifest.files[name];
        for (let parent = dirname(name); parent !== '.' && parent !== prefix; parent = dirname(parent))
          emptied.add(parent);
      }
      for (const name of written) {
        const to = pathOf(target, name);
        mkdirSync(dirname(to), { recursive: true });
        renameSync(pathOf(staging, name), to);
      }
      rmSync(staging, { recursive: true, force: true });
      // Subdirectories that held only the project's old files go too, deepest first; any other directory stays.
      for (const parent of [...emptied].sort((a, b) => b.length - a.length)) {
        const path = pathOf(this.dir, parent);
        if (existsSync(path) && readdirSync(path).length === 0) rmdirSync(path);
      }
    }
    this.recordWritten(...written.map(within));
  }

  private save(): void {
    mkdirSync(this.dir, { recursive: true });
    const path = join(this.dir, MANIFEST);
    writeFileAtomic(path, `${JSON.stringify(this.manifest, null, 2)}\n`, '.gunw-partial');
  }
}

/** A whole directory's content being written; see {@link OwnedFiles.beginDirectory}. */
export class OwnedDirectoryWrite {
  private committed = false;

  constructor(
    private readonly owner: OwnedFiles,
    private readonly prefix: string,
    readonly dir: string,
    readonly staging: string,
  ) {}

  /** Make the staged files the directory's content. */
  commit(): void {
    this.owner.replaceContent(this.prefix, this.dir, this.staging);
    this.committed = true;
  }

  /** Remove what was staged (after a failure; nothing to do after a commit). */
  abandon(): void {
    if (!this.committed) rmSync(this.staging, { recursive: true, force: true });
  }
}

/** One record per directory in this process, so that every writer adds to the same manifest. */
const registry = new Map<string, OwnedFiles>();

/** The {@link OwnedFiles} of `dir` (an absolute path), created on first use; `option` names it in refusals. */
export function ownedFiles(dir: string, option: string): OwnedFiles {
  const key = resolve(dir);
  let owned = registry.get(key);
  if (!owned) {
    owned = new OwnedFiles(key, option);
    registry.set(key, owned);
  }
  return owned;
}

/** Write the whole content of `dir` in one go (see {@link OwnedFiles.beginDirectory}). */
export function writeOwnedDirectory(dir: string, option: string, write: (staging: string) => void): void {
  const writing = ownedFiles(dir, option).beginDirectory('');
  try {
    write(writing.staging);
    writing.commit();
  } finally {
    writing.abandon();
  }
}

/** Begin writing the whole content of `dir` (for writers that are asynchronous). */
export function beginOwnedDirectory(dir: string, option: string): OwnedDirectoryWrite {
  return ownedFiles(dir, option).beginDirectory('');
}
