import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from './execa.js';

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

/** Split a stream into lines, handing each to `onLine` (a last unterminated line included at the end). */
function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    if (!stream) return resolve();
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString('utf8')).split('\n');
      pending = parts.pop() ?? '';
      parts.forEach(onLine);
    });
    stream.on('end', () => {
      if (pending) onLine(pending);
      resolve();
    });
  });
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
  // extendEnv is off when an environment is given, so the child sees exactly what the caller chose.
  const child = execa(command, args, { cwd: options.cwd, env: options.env, extendEnv: options.env === undefined, reject: false, buffer: false, stdin: 'ignore' });
  const onOut = (line: string): void => {
    options.onLine(line);
    keep(tail, line);
  };
  const onErr = (line: string): void => {
    onOut(line);
    keep(errorTail, line);
  };
  const [result] = await Promise.all([child, lines(child.stdout, onOut), lines(child.stderr, onErr)]);
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : result.failed ? 127 : 0;
  return { exitCode, seconds: (performance.now() - started) / 1000, tail, errorTail };
}
