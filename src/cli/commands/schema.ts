import { Command } from 'commander';
import { reportJsonSchema } from '../../compare/report-schema.js';
import type { CliIo } from '../io.js';

export function schemaCommand(io: CliIo): Command {
  return new Command('schema')
    .description('Print the JSON Schema of a machine-readable output')
    .argument('<what>', 'which schema: "report" (the gunw diff JSON report)')
    .action((what: string) => {
      if (what !== 'report') {
        io.stderr(`error: unknown schema "${what}"; available: report\n`);
        throw new (class extends Error {})();
      }
      io.stdout(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
    });
}
