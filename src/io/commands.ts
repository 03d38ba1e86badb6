import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Find an executable on PATH (as `which` would). */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here, or not executable
    }
  }
  return null;
}

export interface CommandResult {
  readonly exitCode: number;
  readonly seconds: number;
  /** The last lines of output (both streams), and of stderr alone, for error messages. */
  readonly tail: readonly string[];
  readonly errorTail: readonly string[];
}

const TAIL_LINES = 20;

/** What a failed command said last: its last non-empty stderr line (where Python puts tracebacks), else stdout's. */
export function lastWords(result: Pick<CommandResult, 'tail' | 'errorTail'>): string {
  const lastOf = (lines: readonly string[]): string | undefined => lines.filter((l) => l.trim()).at(-1);
  return lastOf(result.errorTail) ?? lastOf(result.tail) ?? 'no output';
}

/**
 * Run a command in `cwd`, handing stdout and stderr line by line to `onLine` as they arrive, and return its exit
 * code and duration. Never throws for a non-zero exit; the caller decides.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; onLine: (line: string) => void; env?: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  const started = performance.now();
  const tail: string[] = [];
  const errorTail: string[] = [];
  const keep = (list: string[], line: string): void => {
    list.push(line);
    if (list.length > TAIL_LINES) list.shift();
  };
  // Loaded here, not at start-up: only the processor's long steps run through execa.
  const { execa } = await import('execa');
  // extendEnv is off when an environment is given, so the child sees exactly what the caller chose.
  const child = execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    reject: false,
    buffer: false,
    stdin: 'ignore',
  });
  const follow = async (from: 'stdout' | 'stderr'): Promise<void> => {
    try {
      for await (const line of child.iterable({ from })) {
        options.onLine(line);
        keep(tail, line);
        if (from === 'stderr') keep(errorTail, line);
      }
    } catch {
      // A command that could not start ends its streams with the spawn error; the result below reports it.
    }
  };
  const [result] = await Promise.all([child, follow('stdout'), follow('stderr')]);
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : result.failed ? 127 : 0;
  return { exitCode, seconds: (performance.now() - started) / 1000, tail, errorTail };
}
