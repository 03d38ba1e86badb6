import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { plainText } from '../text.js';

export function whyNotDirectory(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a part of the path is a file';
  if (code === 'ENAMETOOLONG') return 'the name is too long';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'not writable here';
  return code ?? (error as Error).message;
}

/**
 * Say in one line, without making anything, why `dir` cannot become an output directory: paths into /proc, /sys
 * or /dev (kernel views, where writes can block or mean something else), below a file, too long, not writable.
 */
export function checkOutputDirectory(dir: string, option: string): void {
  const absolute = resolve(dir);
  const named = `${option} ${plainText(dir)}`;
  if (/^\/(proc|sys|dev)(\/|$)/.test(absolute))
    throw new UsageError(
      `${named}: is inside /${absolute.split('/')[1]}, not a place for files; choose a directory on disk`,
    );
  if (absolute.length > 4000 || absolute.split('/').some((part) => Buffer.byteLength(part) > 255))
    throw new UsageError(`${named}: the name is too long; choose a shorter path`);
  // The nearest part of the path that exists must be a directory (a missing rest is made later).
  for (let at = absolute; ; at = dirname(at)) {
    let stats;
    try {
      stats = statSync(at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && at !== dirname(at)) continue;
      throw new UsageError(
        `${named}: cannot be made a directory (${whyNotDirectory(error)}); choose a writable directory`,
      );
    }
    if (!stats.isDirectory())
      throw new UsageError(
        at === absolute
          ? `${named}: is a file, not a directory; choose a directory`
          : `${named}: cannot be made a directory (${plainText(at)} is a file); choose another path`,
      );
    return;
  }
}

/** Make `dir` exist as a directory, or say in one line why it cannot be one (see {@link checkOutputDirectory}). */
export function ensureOutputDirectory(dir: string, option: string): void {
  checkOutputDirectory(dir, option);
  try {
    mkdirSync(resolve(dir), { recursive: true });
  } catch (error) {
    throw new UsageError(
      `${option} ${plainText(dir)}: cannot be made a directory (${whyNotDirectory(error)}); choose a writable directory`,
    );
  }
}
