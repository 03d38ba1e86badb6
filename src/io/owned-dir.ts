import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { plainText } from '../text.js';
import { writeFileAtomic } from './atomic-write.js';

import { checkOutputDirectory, ensureOutputDirectory } from './output-dir.js';
import {
  filesBelow,
  isInside,
  listed,
  MANIFEST,
  pathOf,
  processAlive,
  readManifest,
  RUN,
  within,
  type DownloadSource,
  type FileEntry,
  type Manifest,
  type WriteIntent,
} from './owned-manifest.js';

/**
 * Check, before any long work, that writing output of kind `intent.set` into `dir` will be allowed (see
 * {@link OwnedFiles.beginDirectory}); makes nothing when `dir` does not exist yet.
 */
export function checkOwnedDirectory(dir: string, option: string, intent: WriteIntent): void {
  checkOutputDirectory(dir, option);
  if (existsSync(dir)) ownedFiles(dir, option).checkDirectory('', intent);
}

/**
 * The project's record of what it wrote in one directory (`root`). Writing a file goes through {@link claim},
 * which refuses to replace a file that is not this run's own (or, with the user's consent, an earlier run's of the
 * same kind); whole subdirectories (or the directory itself) are written with {@link beginDirectory}.
 */
export class OwnedFiles {
  private readonly manifest: Manifest;
  private staged = 0;
  /** This run made the directory: it goes again if the run leaves nothing in it. */
  private readonly madeDirectory: boolean;

  constructor(
    readonly dir: string,
    private readonly option: string,
  ) {
    this.madeDirectory = !existsSync(dir);
    ensureOutputDirectory(dir, option);
    this.manifest = readManifest(dir);
    this.removeLeftovers();
  }

  /** Temporary files and staging directories of runs that are gone (killed): recorded, so certainly the project's. */
  private removeLeftovers(): void {
    const temporary = this.manifest.temporary ?? {};
    let changed = false;
    for (const [name, entry] of Object.entries(temporary)) {
      if (entry.run === RUN || entry.resumable) continue;
      if (entry.pid !== process.pid && processAlive(entry.pid)) continue;
      rmSync(pathOf(this.dir, name), { recursive: true, force: true });
      delete temporary[name];
      changed = true;
    }
    if (changed) this.save();
  }

  private entry(name: string): FileEntry | undefined {
    return Object.hasOwn(this.manifest.files, name) ? this.manifest.files[name] : undefined;
  }

  /** Whether `name` is still exactly the file the project recorded writing (in any run). */
  owns(name: string): boolean {
    const entry = this.entry(name);
    if (!entry) return false;
    try {
      const stats = lstatSync(pathOf(this.dir, name));
      return stats.isFile() && stats.size === entry.size && stats.mtimeMs === entry.mtimeMs;
    } catch {
      return false;
    }
  }

  /** Remove `name`, which the project wrote (any run, any kind): only where the user said so. */
  removeOwn(name: string): void {
    if (!this.owns(name)) throw this.refusal(name, { set: '' });
    rmSync(pathOf(this.dir, name), { force: true });
    delete this.manifest.files[name];
    this.save();
  }

  /** The kind of output `name` was recorded as (undefined when not recorded, or recorded by an earlier version). */
  setOf(name: string): string | undefined {
    return this.entry(name)?.set;
  }

  /** Whether this run may replace or remove `name` (which exists). */
  private mayReplace(name: string, intent: WriteIntent): boolean {
    if (!this.owns(name)) return false;
    const entry = this.entry(name)!;
    if (entry.run === RUN) return true;
    return intent.overwrite === true && (entry.set === undefined || entry.set === intent.set);
  }

  private refusal(name: string, intent: WriteIntent, at = this.dir): UsageError {
    const where = `${this.option} ${plainText(at)}`;
    if (!this.owns(name))
      return new UsageError(
        `${where}: ${plainText(name)} is there already and gunw did not write it; move it away or choose another directory`,
      );
    const entry = this.entry(name)!;
    if (intent.overwrite && entry.set !== undefined && entry.set !== intent.set)
      return new UsageError(
        `${where}: ${plainText(name)} is gunw's ${entry.set} output, not ${intent.set}; choose another directory`,
      );
    return new UsageError(
      `${where}: ${plainText(name)} is from an earlier run; pass ${intent.overwriteFlag ?? '--overwrite'} to replace it, or choose another directory`,
    );
  }

  /** The path of `name`, which this run may write: absent, or replaceable (see {@link WriteIntent}). */
  claim(name: string, intent: WriteIntent): string {
    if (!isInside(name))
      throw new UsageError(
        `${this.option} ${plainText(this.dir)}: ${JSON.stringify(name)} is not a plain file name inside it`,
      );
    const path = pathOf(this.dir, name);
    if (existsSync(path) && !this.mayReplace(name, intent)) throw this.refusal(name, intent);
    return path;
  }

  /** Record `names` as written by this run, as part of `set`. */
  recordWritten(set: string, ...names: string[]): void {
    for (const name of names) {
      const stats = statSync(pathOf(this.dir, name));
      this.manifest.files[name] = { size: stats.size, mtimeMs: stats.mtimeMs, set, run: RUN };
    }
    this.save();
  }

  /** Record a download this run completed, with where it came from. */
  recordDownloaded(set: string, name: string, source: DownloadSource): void {
    const stats = statSync(pathOf(this.dir, name));
    this.manifest.files[name] = { size: stats.size, mtimeMs: stats.mtimeMs, set, run: RUN, source };
    this.save();
  }

  /** Where an owned download came from, and whether this run wrote it. */
  downloadOf(name: string): { source: DownloadSource | null; thisRun: boolean } | null {
    if (!this.owns(name)) return null;
    const entry = this.entry(name)!;
    return { source: entry.source ?? null, thisRun: entry.run === RUN };
  }

  /**
   * Record a temporary name before it is made, so that a later run can remove it if this one is killed
   * (`resumable`: kept for a later run to continue instead).
   */
  recordTemporary(name: string, resumable = false): string {
    if (!isInside(name))
      throw new UsageError(
        `${this.option} ${plainText(this.dir)}: ${JSON.stringify(name)} is not a plain name inside it`,
      );
    (this.manifest.temporary ??= {})[name] = { run: RUN, pid: process.pid, ...(resumable ? { resumable } : {}) };
    this.save();
    return pathOf(this.dir, name);
  }

  /** Whether `name` is a temporary the project recorded (by any run). */
  isTemporary(name: string): boolean {
    return Object.hasOwn(this.manifest.temporary ?? {}, name);
  }

  /** Forget a temporary name (it was renamed or removed). */
  dropTemporary(name: string): void {
    if (this.manifest.temporary && Object.hasOwn(this.manifest.temporary, name)) {
      delete this.manifest.temporary[name];
      this.save();
    }
  }

  /** The name of `path` as the manifest records it (relative, forward slashes). */
  nameOf(path: string): string {
    return relative(this.dir, path).split(sep).join('/');
  }

  /** Write `name` whole (under a recorded temporary name first), if this run may (see {@link claim}). */
  writeFile(name: string, content: string | Uint8Array, intent: WriteIntent): string {
    const path = this.claim(name, intent);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${name}.gunw-partial-${process.pid}`;
    this.recordTemporary(temporary);
    writeFileAtomic(path, content, '.gunw-partial');
    delete this.manifest.temporary![temporary];
    this.recordWritten(intent.set, name);
    return path;
  }

  /**
   * Write the whole content of the subdirectory `prefix` ('' for this directory itself) as one output of kind
   * `intent.set`: files go into a staging directory and are moved into place at {@link OwnedDirectoryWrite.commit}.
   * Refused when the subdirectory holds the user's files, or an earlier run's output of this kind without the
   * user's consent; output of other kinds beside it stays as it is. A new subdirectory appears only when complete.
   */
  beginDirectory(prefix: string, intent: WriteIntent): OwnedDirectoryWrite {
    this.checkDirectory(prefix, intent);
    const name = `.gunw-staging-${process.pid}-${this.staged++}`;
    const staging = this.recordTemporary(name);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    return new OwnedDirectoryWrite(this, prefix, this.targetOf(prefix), name, intent);
  }

  private targetOf(prefix: string): string {
    return prefix === '' ? this.dir : pathOf(this.dir, prefix);
  }

  /** The refusals of {@link beginDirectory}, without staging anything. */
  checkDirectory(prefix: string, intent: WriteIntent): void {
    if (prefix !== '' && !isInside(prefix))
      throw new UsageError(
        `${this.option} ${plainText(this.dir)}: ${JSON.stringify(prefix)} is not a plain name inside it`,
      );
    const target = this.targetOf(prefix);
    if (existsSync(target) && !statSync(target).isDirectory())
      throw new UsageError(`${this.option} ${plainText(target)}: is a file, not a directory`);
    const present = filesBelow(this.dir, target).filter((name) => name !== MANIFEST && !this.isTemporaryPath(name));
    const foreign = present.filter((name) => !this.owns(name));
    if (foreign.length > 0)
      throw new UsageError(
        `${this.option} ${plainText(target)}: holds files gunw did not write (${listed(foreign)}); choose a new or empty directory`,
      );
    const earlier = present.filter(
      (name) => this.entry(name)!.set === intent.set || this.entry(name)!.set === undefined,
    );
    const blocked = earlier.filter((name) => !this.mayReplace(name, intent));
    if (blocked.length > 0)
      throw new UsageError(
        `${this.option} ${plainText(target)}: holds the ${intent.set} of an earlier run (${listed(blocked)}); pass ${intent.overwriteFlag ?? '--overwrite'} to replace it, or choose another directory`,
      );
  }

  /** A name below a recorded temporary (a staging directory's content counts as the staging directory). */
  private isTemporaryPath(name: string): boolean {
    const temporary = this.manifest.temporary ?? {};
    const parts = name.split('/');
    return parts.some((_, i) => Object.hasOwn(temporary, parts.slice(0, i + 1).join('/')));
  }

  /** @internal Used by {@link OwnedDirectoryWrite.commit}. */
  replaceContent(prefix: string, target: string, stagingName: string, intent: WriteIntent): void {
    const staging = pathOf(this.dir, stagingName);
    const inPrefix = (name: string): string => (prefix === '' ? name : `${prefix}/${name}`);
    const written = filesBelow(staging);
    const present = filesBelow(this.dir, target).filter((name) => name !== MANIFEST && !this.isTemporaryPath(name));
    // Everything is checked again, before anything is moved: the directory may have changed meanwhile.
    for (const name of written.map(inPrefix))
      if (existsSync(pathOf(this.dir, name)) && !this.mayReplace(name, intent)) throw this.refusal(name, intent);
    const superseded = present.filter(
      (name) =>
        within(prefix, name) &&
        this.owns(name) &&
        (this.entry(name)!.set === intent.set || this.entry(name)!.set === undefined) &&
        this.mayReplace(name, intent),
    );
    if (present.length === 0 && prefix !== '') {
      // A new subdirectory: it appears in one rename, complete.
      if (existsSync(target)) rmdirSync(target);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(staging, target);
    } else {
      // The earlier output of this kind (the user allowed it) goes, so no stale file of it stays behind.
      const emptied = new Set<string>();
      for (const name of superseded) {
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
      // Subdirectories that held only that output go too, deepest first; any other directory stays.
      for (const parent of [...emptied].sort((a, b) => b.length - a.length)) {
        const path = pathOf(this.dir, parent);
        if (existsSync(path) && readdirSync(path).length === 0) rmdirSync(path);
      }
    }
    delete this.manifest.temporary?.[stagingName];
    this.recordWritten(intent.set, ...written.map(inPrefix));
  }

  /** @internal Used by {@link OwnedDirectoryWrite.abandon}. */
  abandonStaging(stagingName: string): void {
    rmSync(pathOf(this.dir, stagingName), { recursive: true, force: true });
    this.dropTemporary(stagingName);
    this.tidy();
  }

  /** After a failure: a manifest that records nothing goes, and so does the directory if this run made it. */
  private tidy(): void {
    if (Object.keys(this.manifest.files).length > 0 || Object.keys(this.manifest.temporary ?? {}).length > 0) return;
    rmSync(join(this.dir, MANIFEST), { force: true });
    if (this.madeDirectory && readdirSync(this.dir).length === 0) rmdirSync(this.dir);
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
  readonly staging: string;

  constructor(
    private readonly owner: OwnedFiles,
    private readonly prefix: string,
    readonly dir: string,
    private readonly stagingName: string,
    private readonly intent: WriteIntent,
  ) {
    this.staging = join(owner.dir, stagingName);
  }

  /** Make the staged files the directory's content. */
  commit(): void {
    this.owner.replaceContent(this.prefix, this.dir, this.stagingName, this.intent);
    this.committed = true;
  }

  /** Remove what was staged (after a failure; nothing to do after a commit). */
  abandon(): void {
    if (!this.committed) this.owner.abandonStaging(this.stagingName);
  }
}

/** One record per directory in this process, so that every writer adds to the same manifest. */
const registry = new Map<string, OwnedFiles>();

/** The {@link OwnedFiles} of `dir`, created on first use; `option` names it in refusals. */
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
export function writeOwnedDirectory(
  dir: string,
  option: string,
  intent: WriteIntent,
  write: (staging: string) => void,
): void {
  const writing = ownedFiles(dir, option).beginDirectory('', intent);
  try {
    write(writing.staging);
    writing.commit();
  } finally {
    writing.abandon();
  }
}

/** Begin writing the whole content of `dir` (for writers that are asynchronous). */
export function beginOwnedDirectory(dir: string, option: string, intent: WriteIntent): OwnedDirectoryWrite {
  return ownedFiles(dir, option).beginDirectory('', intent);
}
