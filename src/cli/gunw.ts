#!/usr/bin/env node
import { gunwProgram } from './gunw-program.js';
import { processIo } from './io.js';
import { runProgram } from './main.js';

const io = processIo();
process.exitCode = await runProgram(gunwProgram(io), process.argv.slice(2), io, process.env.GUNW_DEBUG === '1');
