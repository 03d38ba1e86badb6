#!/usr/bin/env node
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { processIo } from './io.js';
import { runProgram } from './main.js';
import { toolIdentity } from './version.js';

/**
 * The processor entry point (HyP3 runs `isce2_topsapp ++process gunw_slc ...`). Its arguments, validation and
 * ISCE2 orchestration arrive with issue #4; until then it says so instead of pretending to run.
 */
const io = processIo();
const program = new Command('isce2_topsapp')
  .description('ARIA S1-GUNW processor (ISCE2 topsApp): not available in this version yet')
  .version(toolIdentity().version)
  .allowUnknownOption()
  .argument('[args...]')
  .action(() => {
    throw new UsageError('isce2_topsapp: the processor is not implemented in this version yet; use `gunw` for comparing GUNW products');
  });
process.exitCode = await runProgram(program, process.argv.slice(2), io, process.env.GUNW_DEBUG === '1');
