import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Run tasks through a child process that answers one JSON line per task (after a line `start I`), surviving the
 * child's hangs and crashes: a task with no answer within `perTaskMs`, or during which the child dies, is recorded
 * as `{ status: 'hang' }` or `{ status: 'crash' }`, and a new child takes the remaining tasks.
 */
export async function runLineTasks(
  command: string,
  args: readonly string[],
  tasks: readonly { readonly i: number }[],
  perTaskMs: number,
): Promise<Map<number, Record<string, unknown>>> {
  const results = new Map<number, Record<string, unknown>>();
  let remaining = [...tasks];
  while (remaining.length > 0) {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let current: number | null = null;
    let timer: NodeJS.Timeout | null = null;
    let timedOut = false;
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, perTaskMs);
    };
    arm();
    child.stdin.on('error', () => undefined);
    child.stdin.end(remaining.map((t) => JSON.stringify(t)).join('\n') + '\n');
    for await (const line of createInterface({ input: child.stdout })) {
      arm();
      if (line.startsWith('start ')) {
        current = Number(line.slice(6));
        continue;
      }
      const result = JSON.parse(line) as Record<string, unknown> & { i: number };
      results.set(result.i, result);
      current = null;
    }
    if (timer) clearTimeout(timer);
    await new Promise((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve),
    );
    const unanswered = remaining.filter((t) => !results.has(t.i));
    if (unanswered.length === 0) break;
    // The task the child was on when it stopped answering is the culprit; without one, the first unanswered.
    const culprit = current ?? unanswered[0]!.i;
    results.set(culprit, { i: culprit, status: timedOut ? 'hang' : 'crash' });
    remaining = unanswered.filter((t) => t.i !== culprit);
  }
  return results;
}
