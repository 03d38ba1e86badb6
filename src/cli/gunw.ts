#!/usr/bin/env node
import { requireSupportedNode } from './supported-node.js';

requireSupportedNode('gunw');
// Loaded after the check: on an older Node.js they would fail while loading, far from the cause.
const [{ gunwProgram }, { processIo }, { runProgram }, { asksForVersion, toolIdentity }] = await Promise.all([
  import('./gunw-program.js'),
  import('./io.js'),
  import('./main.js'),
  import('./version.js'),
]);
const io = processIo();
const argv = process.argv.slice(2);
if (asksForVersion(argv)) io.stdout(`${(await toolIdentity()).version}\n`);
else process.exitCode = await runProgram(gunwProgram(io), argv, io, process.env.GUNW_DEBUG === '1');
