import { isAbsolute, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ExitError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../exit-codes.js';

/**
 * `gunw hyp3`: the regression cases' HyP3 jobs by hand — submit them (reusing a job of the same name and
 * parameters), show their status, and download the products of those that succeeded.
 */

interface Hyp3Options {
  readonly cases: string;
  readonly hyp3Url?: string;
  readonly hyp3?: 'production' | 'test' | 'edc';
  readonly hyp3Token?: string;
  readonly maxRetryWait?: string;
}

function common(command: Command): Command {
  return command
    .requiredOption('--cases <dir|file>', 'regression case file or directory')
    .option('--hyp3-url <url>', 'HyP3 deployment URL')
    .addOption(
      new Option(
        '--hyp3 <deployment>',
        'production or test (JPL, INSAR_ISCE jobs), or edc (ASF, ARIA_S1_GUNW jobs: cases by date); instead of --hyp3-url',
      )
        .choices(['production', 'test', 'edc'])
        .default('test'),
    )
    .option('--hyp3-token <token>', 'Earthdata Login token (else EARTHDATA_TOKEN, else Earthdata credentials)')
    .option(
      '--max-retry-wait <seconds>',
      'the longest wait a HyP3 Retry-After is granted (longer ones are cut to it, and said so)',
      '120',
    );
}

async function setup(options: Hyp3Options, io: CliIo) {
  const [{ loadCases }, { hyp3Client, maxRetryWait }] = await Promise.all([
    import('../../regression/case.js'),
    import('./regression/run.js'),
  ]);
  const path = isAbsolute(options.cases) ? options.cases : resolve(io.cwd, options.cases);
  const url = options.hyp3Url ?? options.hyp3 ?? 'test';
  return {
    cases: await loadCases(path),
    client: hyp3Client(url, options.hyp3Token, process.env, io, maxRetryWait(options.maxRetryWait)),
    url,
  };
}

export function hyp3Command(io: CliIo): Command {
  const command = new Command('hyp3').description(
    'Submit, follow and download the HyP3 jobs of regression cases (INSAR_ISCE for cases naming scenes, ARIA_S1_GUNW for cases by date)',
  );
  common(
    command
      .command('submit')
      .description(
        'Submit one job per case (a job of the same name and parameters that succeeded or is still running is kept)',
      ),
  )
    .option('--validate-only', 'ask HyP3 to validate the jobs without running them', false)
    .action(async (options: Hyp3Options & { validateOnly: boolean }) => {
      const { cases, client, url } = await setup(options, io);
      const { chooseJob, jobName, jobRequest } = await import('../../regression/hyp3-candidates.js');
      const pending: typeof cases = [];
      for (const c of cases) {
        const existing = chooseJob(await client.listJobs({ name: jobName(c) }), c, new Date());
        if (existing) io.stdout(`${c.name}\t${existing.job_id}\t${existing.status_code}\t(existing)\n`);
        else pending.push(c);
      }
      const submitted = await client.submit(pending.map(jobRequest), options.validateOnly);
      submitted.forEach((job, i) =>
        io.stdout(
          `${pending[i]!.name}\t${job.job_id}\t${job.status_code}\t${options.validateOnly ? '(validated only)' : '(submitted)'}\n`,
        ),
      );
      io.stderr(`${url}: ${submitted.length} submitted, ${cases.length - pending.length} already there\n`);
    });
  common(
    command.command('status').description("Show each case's job: id, status, request time, product or log"),
  ).action(async (options: Hyp3Options) => {
    const { cases, client } = await setup(options, io);
    const { chooseJob, jobName } = await import('../../regression/hyp3-candidates.js');
    for (const c of cases) {
      const jobs = await client.listJobs({ name: jobName(c) });
      const job = chooseJob(jobs, c, new Date()) ?? jobs[0];
      if (!job) {
        io.stdout(`${c.name}\t-\tnot submitted\n`);
        continue;
      }
      const detail =
        job.status_code === 'SUCCEEDED'
          ? (job.files?.[0]?.filename ?? '')
          : job.status_code === 'FAILED'
            ? (job.logs?.[0] ?? '')
            : '';
      io.stdout(`${c.name}\t${job.job_id}\t${job.status_code}\t${job.request_time}\t${detail}\n`);
    }
  });
  common(
    command
      .command('download')
      .description(
        'Download the products of the jobs that succeeded; a job that failed is named with its log, and the exit status is 1',
      ),
  )
    .requiredOption(
      '-o, --out <dir>',
      'where the products go (created if missing; files gunw did not write there are never replaced)',
    )
    .option('--overwrite', 'fetch again a product an earlier run downloaded that the server has changed since', false)
    .action(async (options: Hyp3Options & { out: string; overwrite: boolean }) => {
      const { cases, client } = await setup(options, io);
      const [{ chooseJob, jobName, runsCase }, { downloadFile }, { ownedFiles }, { safeFileName }] = await Promise.all([
        import('../../regression/hyp3-candidates.js'),
        import('../../io/download.js'),
        import('../../io/owned-dir.js'),
        import('../../io/safe-name.js'),
      ]);
      const out = ownedFiles(resolve(io.cwd, options.out), '--out');
      let failed = 0;
      for (const c of cases) {
        const jobs = await client.listJobs({ name: jobName(c) });
        const job =
          chooseJob(jobs, c, new Date()) ??
          jobs.filter((j) => runsCase(j, c)).sort((a, b) => Date.parse(b.request_time) - Date.parse(a.request_time))[0];
        if (job?.status_code === 'FAILED') {
          failed++;
          io.stderr(`${c.name}: HyP3 job ${job.job_id} FAILED; its log: ${job.logs?.[0] ?? '(no log)'}\n`);
          continue;
        }
        const product =
          job?.status_code === 'SUCCEEDED' ? job.files?.find((f) => f.filename.endsWith('.nc')) : undefined;
        if (job?.status_code === 'SUCCEEDED' && !product) {
          // Succeeded without a product this can name: an error, as `regression run` reports it.
          failed++;
          io.stderr(`${c.name}: HyP3 job ${job.job_id} SUCCEEDED without a .nc product\n`);
          continue;
        }
        if (!job || !product) {
          io.stderr(
            `${c.name}: nothing to download (${job ? `job ${job.job_id} is ${job.status_code}` : 'no job: run gunw hyp3 submit'})\n`,
          );
          continue;
        }
        const path = join(out.dir, safeFileName(product.filename, `HyP3 job ${job.job_id} files[].filename`));
        await downloadFile(product.url, path, {
          bytes: product.size,
          owned: out,
          intent: { set: 'download', overwrite: options.overwrite },
          service: `download of ${product.filename}`,
        });
        io.stdout(`${path}\n`);
      }
      if (failed > 0) throw new ExitError(EXIT.failed);
    });
  return command;
}
