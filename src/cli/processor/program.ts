import { UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../exit-codes.js';
import { runProgram } from '../main.js';
import { asksForVersion, toolIdentity } from '../version.js';
import type { ProcessorContext } from './context.js';
import { dispatch, ENTRYPOINTS } from './dispatch.js';

const DISPATCH_HELP = `Usage: isce2_topsapp [++process ${ENTRYPOINTS.join('|')}] [++omp-num-threads N] [entry point options]

The ARIA S1-GUNW processor (ISCE2 topsApp), callable the way HyP3 calls it.

Dispatcher options (a + prefix; they may appear anywhere):
  ++process <entry>        the entry point: gunw_slc (default) or gunw_burst
  ++omp-num-threads <n>    OpenMP threads for ISCE2 (1–4096; sets OMP_NUM_THREADS, which is left as it is without it)
  +h, ++help               this help

Each entry point has its own options: isce2_topsapp ++process gunw_slc --help

Tools:
  isce2_topsapp package --isce-dir DIR   package ISCE2 topsApp outputs into the GUNW delivery directory
  isce2_topsapp sample --out DIR         write a realistic ISCE2 topsApp directory to try package on
`;

export interface ProcessorProcess {
  readonly io: CliIo;
  readonly env: NodeJS.ProcessEnv;
  readonly readStdin: () => string;
  readonly fetch?: typeof fetch;
  readonly debug?: boolean;
}

/** `isce2_topsapp` end to end: dispatch the `++` options, then run the chosen entry point; returns the exit code. */
export async function runProcessor(argv: readonly string[], process: ProcessorProcess): Promise<number> {
  const { io } = process;
  let chosen;
  try {
    chosen = dispatch(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  if (chosen.help) {
    io.stdout(DISPATCH_HELP);
    return EXIT.ok;
  }
  if (asksForVersion(chosen.args)) {
    io.stdout(`${(await toolIdentity()).version}\n`);
    return EXIT.ok;
  }
  // Each command's modules are loaded when it is the one asked for: the entry points bring the HTTP, S3 and
  // process libraries, which `package` and `--help` do not need (0.36 s of loading against 0.17 s, measured).
  const toolName = chosen.args[0];
  if (toolName === 'package' || toolName === 'sample') {
    const { packageCommand, sampleCommand } = await import('./tools.js');
    const tool = toolName === 'package' ? packageCommand(io) : sampleCommand(io);
    tool.name(`isce2_topsapp ${tool.name()}`);
    return runProgram(tool, chosen.args.slice(1), io, process.debug ?? false);
  }
  const context: ProcessorContext = {
    io,
    env: process.env,
    argv,
    entrypoint: chosen.entrypoint,
    ompNumThreads: chosen.ompNumThreads,
    readStdin: process.readStdin,
    fetch: process.fetch,
  };
  const command =
    chosen.entrypoint === 'gunw_burst'
      ? (await import('./gunw-burst.js')).gunwBurstCommand(context)
      : (await import('./gunw-slc.js')).gunwSlcCommand(context);
  return runProgram(command, chosen.args, io, process.debug ?? false);
}
