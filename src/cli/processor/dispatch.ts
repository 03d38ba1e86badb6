import { UsageError } from '../../errors.js';
import { printable } from '../../text.js';

/**
 * HyP3 calls the processor as
 * `isce2_topsapp ++process gunw_slc ++omp-num-threads 4 --bucket ... --reference-scenes ...`: options with `++`
 * belong to the dispatcher and may appear anywhere; everything else goes to the entry point.
 */

export const ENTRYPOINTS = ['gunw_slc', 'gunw_burst'] as const;
export type Entrypoint = (typeof ENTRYPOINTS)[number];

export interface Dispatch {
  readonly entrypoint: Entrypoint;
  readonly ompNumThreads: number | null;
  readonly args: string[];
  /** The dispatcher's own help was asked for (`+h`, `++help`). */
  readonly help: boolean;
}

export function dispatch(argv: readonly string[]): Dispatch {
  let entrypoint: Entrypoint = 'gunw_slc';
  let ompNumThreads: number | null = null;
  let help = false;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '+h' || token === '++help') {
      help = true;
      continue;
    }
    const match = /^\+\+([\w-]+)(?:=(.*))?$/.exec(token);
    if (!match) {
      args.push(token);
      continue;
    }
    const [, name, inline] = match;
    const value = inline ?? argv[++i];
    if (name === 'process') {
      if (!value || !(ENTRYPOINTS as readonly string[]).includes(value)) {
        throw new UsageError(`++process ${value ?? '(missing)'}: choose one of ${ENTRYPOINTS.join(', ')}`);
      }
      entrypoint = value as Entrypoint;
    } else if (name === 'omp-num-threads') {
      const n = /^\d+$/.test(value ?? '') ? Number(value) : Number.NaN;
      // The plugin treats 0 as "not given" (`if args.omp_num_threads`); a count of 0 threads reads as a mistake, so it
      // is refused here and leaving the option out is the way to keep OMP_NUM_THREADS as it is.
      if (!Number.isInteger(n) || n < 1 || n > 4096)
        throw new UsageError(
          `++omp-num-threads ${printable(value ?? '(missing)')}: expected a whole number of threads from 1 to 4096 (leave the option out to keep OMP_NUM_THREADS as it is)`,
        );
      ompNumThreads = n;
    } else {
      throw new UsageError(`unknown dispatcher option ++${name} (known: ++process, ++omp-num-threads)`);
    }
  }
  return { entrypoint, ompNumThreads, args, help };
}
