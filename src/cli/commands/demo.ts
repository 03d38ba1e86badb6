import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { ExitError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../main.js';

export function demoCommand(io: CliIo): Command {
  return new Command('demo')
    .description('Make the bundled sample pair and compare it: the quickest look at what gunw diff reports')
    .option('-o, --out <dir>', 'where the sample products and the report directory go', 'demo-output')
    .action(async (options: { out: string }) => {
      const [{ writeSamplePair }, { runDiff }] = await Promise.all([import('../../sample/write.js'), import('./diff/run.js')]);
      const dir = resolve(io.cwd, options.out);
      const sample = await writeSamplePair(dir, 'passing');
      io.stderr(`sample products written to ${dir}\n`);
      const code = await runDiff(
        sample.reference,
        sample.candidate,
        { format: 'text', reportDir: join(dir, 'report'), strictPhase: false, checkStorage: false, progress: true },
        io,
      );
      if (code !== EXIT.ok) throw new ExitError(code);
    });
}
