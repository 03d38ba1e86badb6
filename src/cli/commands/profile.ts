import { Command } from 'commander';
import { DEFAULT_PROFILE } from '../../compare/profile.js';
import type { CliIo } from '../io.js';

export function profileCommand(io: CliIo): Command {
  const command = new Command('profile').description('Tolerance profiles used by gunw diff');
  command
    .command('show')
    .description('Print the built-in GUNW tolerance profile as YAML (a starting point for your own)')
    .action(async () => {
      const { stringify } = await import('yaml');
      io.stdout(`# Built-in gunw diff tolerance profile. A profile passed with --profile is layered over this one;\n`);
      io.stdout(`# for each setting the first rule whose glob matches wins. See docs/tolerances.md.\n`);
      io.stdout(stringify({ ...DEFAULT_PROFILE, extends: undefined }));
    });
  return command;
}
