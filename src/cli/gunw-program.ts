import { Command } from 'commander';
import { changelogCommand } from './commands/changelog/index.js';
import { containerCommand } from './commands/container.js';
import { demoCommand } from './commands/demo.js';
import { diffCommand } from './commands/diff/index.js';
import { profileCommand } from './commands/profile.js';
import { regressionCommand } from './commands/regression/index.js';
import { hyp3Command } from './commands/hyp3.js';
import { releaseCommand } from './commands/release/index.js';
import { sampleCommand } from './commands/sample.js';
import { schemaCommand } from './commands/schema.js';
import { versionCommand } from './commands/version.js';
import type { CliIo } from './io.js';

/** The `gunw` program: the regression harness's commands. */
export function gunwProgram(io: CliIo): Command {
  return (
    new Command('gunw')
      .description("Compare ARIA S1-GUNW products and run the project's release and regression tools")
      // Answered in gunw.ts before the program is built (asking git for the version is not free); listed here for --help.
      .option('-V, --version', "print this tool's version (what its products and reports carry) and exit")
      .addCommand(diffCommand(io))
      .addCommand(demoCommand(io))
      .addCommand(sampleCommand(io))
      .addCommand(regressionCommand(io))
      .addCommand(hyp3Command(io))
      .addCommand(profileCommand(io))
      .addCommand(schemaCommand(io))
      .addCommand(releaseCommand(io))
      .addCommand(versionCommand(io))
      .addCommand(changelogCommand(io))
      .addCommand(containerCommand(io))
  );
}
