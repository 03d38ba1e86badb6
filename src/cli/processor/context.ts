import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { jobParametersOf } from '../../processor/job-form.js';
import { jsonErrorLocation } from '../../json-location.js';
import type { CliIo } from '../io.js';

/** What an entry point gets from the process (tests pass their own). */
export interface ProcessorContext {
  readonly io: CliIo;
  readonly env: NodeJS.ProcessEnv;
  /** The arguments after the program name, as typed, for the provenance command line. */
  readonly argv: readonly string[];
  readonly entrypoint: string;
  readonly ompNumThreads: number | null;
  readonly readStdin: () => string;
  readonly fetch?: typeof fetch;
}

export function readJobJson(source: string, context: ProcessorContext): Record<string, unknown> {
  let text: string;
  try {
    text =
      source === '-'
        ? context.readStdin()
        : readFileSync(isAbsolute(source) ? source : resolve(context.io.cwd, source), 'utf8');
  } catch {
    throw new UsageError(
      `--json-input ${source}: cannot read the file; give the path of a JSON job file, or - for stdin`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error, which may be a password: only say where.
    throw new UsageError(
      `--json-input ${source}: not valid JSON at ${jsonErrorLocation(text)}; check the file's syntax`,
    );
  }
  return jobParametersOf(document, `--json-input ${source}`);
}
