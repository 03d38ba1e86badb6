/**
 * The project's error vocabulary. Library code throws these; only the CLI entry and the action runners map them
 * to exit codes and messages (see src/cli/main.ts).
 */

/** Bad input from the user: a missing file, an unreadable product, a bad option or profile. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A product file that cannot be opened or read. Carries the file and, where known, the variable. */
export class ProductReadError extends UsageError {
  override name = 'ProductReadError';
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly variable?: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${variable ? ` (${variable})` : ''}: ${problem}`, options);
  }
}

/** A validation failure that lists every problem found, each as `where: what`. */
export class ValidationError extends UsageError {
  override name = 'ValidationError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
  }
}

/** The user has been told what happened; exit with this code and print nothing more. */
export class ExitError extends Error {
  override name = 'ExitError';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A bug in this program, not in the input. */
export class InternalError extends Error {
  override name = 'InternalError';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
