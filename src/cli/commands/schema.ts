import { Argument, Command } from 'commander';
import type { CliIo } from '../io.js';

export function schemaCommand(io: CliIo): Command {
  return new Command('schema')
    .description('Print the JSON Schema of a machine-readable output')
    .addArgument(new Argument('<what>', 'which schema: "report" is the gunw diff JSON report').choices(['report']))
    .action(async () => {
      const { reportJsonSchema } = await import('../../compare/report-schema.js');
      io.stdout(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
    });
}
