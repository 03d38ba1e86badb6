import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ExitError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../exit-codes.js';
import { toolIdentity } from '../version.js';

/**
 * The quick start: make the bundled ISCE2 sample (frame 25502) twice — the reference run and a re-run with tiny
 * numerical differences (or, with --kind regressed, a run with a planted regression) — package both into GUNW
 * products, and compare them with the regression harness, printing the report.
 */
export function demoCommand(io: CliIo): Command {
  return new Command('demo')
    .description(
      'Package the bundled ISCE2 sample twice (a reference run and a re-run) and compare the two GUNW products',
    )
    .option('-o, --out <dir>', 'where the ISCE2 samples, the products and the report go', 'demo-output')
    .addOption(
      new Option(
        '--kind <kind>',
        'rerun (passes, with sub-tolerance differences) or regressed (a 2π jump and lower coherence: fails)',
      )
        .choices(['rerun', 'regressed'])
        .default('rerun'),
    )
    .action(async (options: { out: string; kind: 'rerun' | 'regressed' }) => {
      const [{ writeIsceSample }, { packageGunw }, { runDiff }] = await Promise.all([
        import('../../sample/isce/index.js'),
        import('../../packaging/package.js'),
        import('./diff/run.js'),
      ]);
      const dir = resolve(io.cwd, options.out);
      // The demo's output directory is the demo's: running it again replaces the demo's own earlier files (each
      // directory keeps a manifest, so nothing else there is touched); it says so rather than silently.
      if (existsSync(join(dir, 'report')))
        io.stderr(`replacing the earlier demo in ${options.out}/ (pass --out DIR to keep it)\n`);
      const products: string[] = [];
      for (const [name, variant] of [
        ['reference', 'reference'],
        ['candidate', options.kind === 'regressed' ? 'perturbed' : 'rerun'],
      ] as const) {
        const sample = await writeIsceSample(join(dir, `${name}-isce`), { variant, overwrite: true });
        const result = await packageGunw({
          isceDir: sample.isceDir,
          plan: sample.plan,
          outputDir: join(dir, name),
          overwrite: true,
          softwareVersion: (await toolIdentity()).version,
        });
        io.stderr(`${name}: ISCE2 sample ${join(dir, `${name}-isce`)} packaged into ${result.netcdf}\n`);
        products.push(result.netcdf);
      }
      const code = await runDiff(
        products[0]!,
        products[1]!,
        {
          format: 'text',
          reportDir: join(dir, 'report'),
          overwrite: true,
          strictPhase: false,
          checkStorage: false,
          progress: true,
        },
        io,
      );
      if (code !== EXIT.ok) throw new ExitError(code);
    });
}
