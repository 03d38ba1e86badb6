import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from './tmp.js';
import { join } from 'node:path';

export interface ActionRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** Parse a GITHUB_OUTPUT file (name<<delimiter / value / delimiter records) into name → value. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i]!);
    outputs[match[1]!] = value.join('\n');
  }
  return outputs;
}

/**
 * Run a bundled action (dist/<name>/index.js) the way the runner does: inputs as INPUT_* variables, the event
 * payload in GITHUB_EVENT_PATH, outputs and the job summary through the files in GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY.
 */
export async function runAction(
  name: string,
  options: { inputs?: Record<string, string>; event?: unknown; env?: Record<string, string> },
): Promise<ActionRun> {
  const dir = tempDir(`gunw-action-${name}-`);
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  const eventFile = join(dir, 'event.json');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(eventFile, JSON.stringify(options.event ?? {}));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: 'octo-org/dtopsapp',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: dir,
    ...Object.fromEntries(Object.entries(options.inputs ?? {}).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...options.env,
  };
  const script = join(import.meta.dirname, '../../dist', name, 'index.js');
  const child = spawn(process.execPath, [script], { env, cwd: env.GITHUB_WORKSPACE ?? dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    status,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}
