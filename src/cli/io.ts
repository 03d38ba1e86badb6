import { redactText } from '../redaction.js';

/** Where a command's output goes: real streams in the bin, buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress is only drawn on an interactive terminal. */
  readonly stderrIsTTY: boolean;
  readonly cwd: string;
}

/**
 * The process's own streams. Everything printed passes through {@link redactText}: a secret that reached a message
 * by any path (a URL given on the command line, an attribute of a product, an answer of a server) is not shown.
 */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(redactText(text)),
    stderr: (text) => process.stderr.write(redactText(text)),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}
