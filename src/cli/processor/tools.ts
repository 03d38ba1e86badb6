import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { jsonErrorLocation } from '../../json-location.js';
import { bucketNameProblem } from '../../io/s3.js';
import type { IonosphereRecord } from '../../product/ionosphere-record.js';
import type { ProcessingPlan } from '../../processor/plan.js';
import { parsePlanFile } from '../../processor/plan-file.js';
import { printable } from '../../text.js';
import type { CliIo } from '../io.js';
import { toolIdentity } from '../version.js';

/**
 * `isce2_topsapp package` (ISCE2 outputs → GUNW delivery directory) and `isce2_topsapp sample` (a realistic ISCE2
 * topsApp directory to try it on). The packaging and sample code load only when these commands run.
 */

function readPlan(path: string): ProcessingPlan {
  if (!existsSync(path))
    throw new UsageError(
      `--plan ${path}: no such file; give the plan.json a run or --dry-run wrote (it names the product, scenes and parameters)`,
    );
  const result = parsePlanFile(readJsonFile(path, 'a plan.json'));
  if ('plan' in result) return result.plan;
  const shown = result.problems.slice(0, 3).join('; ');
  const more = result.problems.length > 3 ? ` and ${result.problems.length - 3} more` : '';
  throw new UsageError(
    `--plan ${path}: not a gunw_slc plan.json isce2_topsapp can package from (${printable(shown)}${more}); give the plan.json of an isce2_topsapp ++process gunw_slc run`,
  );
}

/** A JSON file read as untrusted input: bounded in size, one line naming it when it is not JSON. */
function readJsonFile(path: string, what = "a plugin's JSON file"): unknown {
  const limit = 50 * 1024 * 1024;
  const size = statSync(path).size;
  if (size > limit)
    throw new UsageError(`${path}: ${size} bytes, more than ${what} can be (limit ${limit}); is it the right file?`);
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    // The plugin's loc_data.json holds its command line, password included: never quote the text.
    throw new UsageError(`${path}: not JSON (it stops being JSON at ${jsonErrorLocation(text)})`);
  }
}

/**
 * The plan to package with: --plan, else the directory's plan.json, else (a work directory the Python plugin made)
 * its topsapp_input_params.json and loc_data.json.
 */
async function planFor(
  isceDir: string,
  planOption: string | undefined,
  io: CliIo,
): Promise<{ plan: ProcessingPlan; ionosphereRecord?: IonosphereRecord }> {
  if (planOption) return { plan: readPlan(resolve(io.cwd, planOption)) };
  const own = join(isceDir, 'plan.json');
  const { PLUGIN_LOCALIZATION_FILE, PLUGIN_PARAMETERS_FILE, fromPluginFiles } =
    await import('../../processor/plugin-workdir.js');
  const [parameters, locData] = [join(isceDir, PLUGIN_PARAMETERS_FILE), join(isceDir, PLUGIN_LOCALIZATION_FILE)];
  if (!existsSync(own) && existsSync(parameters) && existsSync(locData)) {
    io.stderr(`no plan.json: planning from the plugin's ${PLUGIN_PARAMETERS_FILE} and ${PLUGIN_LOCALIZATION_FILE}\n`);
    return fromPluginFiles(isceDir, readJsonFile(parameters), readJsonFile(locData), { parameters, locData });
  }
  if (!existsSync(own)) {
    throw new UsageError(
      `--isce-dir ${isceDir}: no plan.json (nor the Python plugin's ${PLUGIN_PARAMETERS_FILE} and ${PLUGIN_LOCALIZATION_FILE}); give --plan FILE`,
    );
  }
  return { plan: readPlan(own) };
}

export function packageCommand(io: CliIo): Command {
  return new Command('package')
    .description(
      'Package ISCE2 topsApp outputs (merged/, reference/, secondary/, fine_interferogram/, topsProc.xml) into the GUNW delivery directory <ID>/ with <ID>.nc, <ID>.json and <ID>.png',
    )
    .requiredOption('--isce-dir <dir>', 'the topsApp work directory')
    .option(
      '--plan <file>',
      "the job's plan.json (default: <isce-dir>/plan.json, else the Python plugin's topsapp_input_params.json and loc_data.json there)",
    )
    .option('-o, --out <dir>', 'where the delivery directory goes (default: the current directory)')
    .option('--overwrite', 'replace the delivery directory <ID>/ an earlier run wrote in --out', false)
    .option('--bucket <name>', 'also upload the delivery directory to this S3 bucket')
    .option('--bucket-prefix <prefix>', 'key prefix in the bucket', '')
    .option('--s3-endpoint <url>', 'an S3-compatible endpoint instead of AWS')
    .addHelpText(
      'after',
      '\nExample:\n  isce2_topsapp sample --out sample-isce && isce2_topsapp package --isce-dir sample-isce --out delivery\n',
    )
    .action(
      async (options: {
        isceDir: string;
        plan?: string;
        out?: string;
        bucket?: string;
        bucketPrefix: string;
        s3Endpoint?: string;
        overwrite: boolean;
      }) => {
        const isceDir = resolve(io.cwd, options.isceDir);
        const bucketProblem = options.bucket ? bucketNameProblem(options.bucket) : null;
        if (bucketProblem) throw new UsageError(`--bucket ${bucketProblem}`);
        if (!existsSync(join(isceDir, 'merged')))
          throw new UsageError(
            `--isce-dir ${options.isceDir}: no merged/ directory there; give the directory topsApp ran in`,
          );
        const { plan, ionosphereRecord } = await planFor(isceDir, options.plan, io);
        const { packageGunw } = await import('../../packaging/package.js');
        const started = performance.now();
        let result;
        try {
          result = await packageGunw({
            isceDir,
            plan,
            outputDir: resolve(io.cwd, options.out ?? '.'),
            overwrite: options.overwrite,
            softwareVersion: (await toolIdentity()).version,
            onProgress: (message) => io.stderr(`${message}\n`),
            ...(ionosphereRecord ? { ionosphereRecord } : {}),
          });
        } catch (error) {
          throw new UsageError(`packaging failed: ${(error as Error).message}`);
        }
        io.stderr(`packaged ${result.layers.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
        if (options.bucket) {
          const { uploadDelivery } = await import('../../io/s3.js');
          try {
            await uploadDelivery(
              result.directory,
              { bucket: options.bucket, prefix: options.bucketPrefix, endpoint: options.s3Endpoint },
              (u) => io.stderr(`uploaded s3://${options.bucket}/${u.key}\n`),
            );
          } catch (error) {
            throw new UsageError(
              `upload to s3://${options.bucket} failed: ${(error as Error).message}; the product is complete in ${result.directory}`,
            );
          }
        }
        io.stdout(`${result.directory}\n`);
      },
    );
}

export function sampleCommand(io: CliIo): Command {
  return new Command('sample')
    .description(
      'Write a realistic ISCE2 topsApp directory (frame 25502 pair: swath products, orbits, topsProc.xml, merged/ rasters, plan.json) to try `package` on',
    )
    .requiredOption('-o, --out <dir>', 'directory to write the sample into (new, or holding only what gunw wrote)')
    .option('--overwrite', 'replace a sample an earlier run wrote in --out', false)
    .addOption(
      new Option(
        '--size <size>',
        'grid of merged/: small (0.01°), frame90 (3″, a full 90 m frame) or frame30 (1″, a 30 m frame, several GB)',
      )
        .choices(['small', 'frame90', 'frame30'])
        .default('small'),
    )
    .addOption(
      new Option(
        '--variant <variant>',
        'reference, or perturbed (a 2π jump in one component and lower coherence in a box)',
      )
        .choices(['reference', 'perturbed'])
        .default('reference'),
    )
    .option('--dense-offsets', 'add the dense offsets raster and ask for the layer', false)
    .option('--wrapped-phase-layer', 'add the wrapped phase raster and ask for the layer', false)
    .action(
      async (options: {
        out: string;
        size: 'small' | 'frame90' | 'frame30';
        variant: 'reference' | 'perturbed';
        denseOffsets: boolean;
        wrappedPhaseLayer: boolean;
        overwrite: boolean;
      }) => {
        const { writeIsceSample } = await import('../../sample/isce/index.js');
        const dir = resolve(io.cwd, options.out);
        const sample = await writeIsceSample(dir, {
          overwrite: options.overwrite,
          size: options.size,
          variant: options.variant,
          parameters: { dense_offsets: options.denseOffsets, wrapped_phase_layer: options.wrappedPhaseLayer },
        });
        io.stderr(`ISCE2 sample (${options.size}, ${options.variant}) for ${sample.plan.productId}\n`);
        io.stdout(`${dir}\n`);
      },
    );
}
