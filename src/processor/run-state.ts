/**
 * The run state written after every step (run-state.json), so `--resume` continues after the last completed step
 * of the same job, and a person can see what ran, for how long, and where its log is (pure).
 */

export type StepStatus = 'done' | 'failed';

export interface StepRecord {
  readonly name: string;
  readonly status: StepStatus;
  readonly startedAt: string;
  readonly seconds: number;
  readonly log: string;
  readonly error: string | null;
}

export interface RunState {
  readonly version: 1;
  /** What the job is (product ID and a digest of its parameters): resuming another job is refused. */
  readonly job: string;
  readonly steps: readonly StepRecord[];
}

export function emptyState(job: string): RunState {
  return { version: 1, job, steps: [] };
}

export function withStep(state: RunState, record: StepRecord): RunState {
  return { ...state, steps: [...state.steps.filter((s) => s.name !== record.name), record] };
}

/** The steps still to run: all of them, or with resume those after the last consecutive completed step. */
export function stepsToRun(all: readonly string[], state: RunState | null, resume: boolean): string[] {
  if (!resume || !state) return [...all];
  const done = new Set(state.steps.filter((s) => s.status === 'done').map((s) => s.name));
  let first = 0;
  while (first < all.length && done.has(all[first]!)) first++;
  return all.slice(first);
}
