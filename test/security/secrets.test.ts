import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { redactCommandLine } from '../../src/product/provenance.js';
import { redactText, redactUrl } from '../../src/redaction.js';
import { writeSamplePair, type WrittenSample } from '../../src/sample/write.js';
import { cmrService, fileService } from '../helpers/services.js';
import { tempDir } from '../helpers/tmp.js';
import { hasCommand, hasPythonModules, PYTHON } from '../helpers/tools.js';

/**
 * Planted secrets must not reach any output: stdout, stderr, report.json, report.md, junit.xml, index.html,
 * summary.md, plan.json, run-state.json, logs, and a product's attributes. Each planted value is unique, so a
 * grep for it finds where it leaked.
 */
const GUNW = join(import.meta.dirname, '../../lib/cli/gunw.js');
const ISCE2_TOPSAPP = join(import.meta.dirname, '../../lib/cli/isce2-topsapp.js');
const PLANTED = {
  urlPassword: 'PLANTurlpass1',
  token: 'PLANTtoken2xyz',
  accessToken: 'PLANTaccess3xyz',
  signature: 'PLANTsig4abcdef',
  bearer: 'PLANTbearer5abcdefgh',
  curl: 'PLANTcurl6pw',
  option: 'PLANToption7pw',
};
const everyPlanted = Object.values(PLANTED);
const secretUrl = (host: string, path = '/x'): string =>
  `http://bob:${PLANTED.urlPassword}@${host}${path}?token=${PLANTED.token}&access_token=${PLANTED.accessToken}&X-Amz-Signature=${PLANTED.signature}`;

/** Every file below `dir`, with what it holds (binary files as latin1, so a planted ASCII value is still found). */
function filesUnder(dir: string): [string, string][] {
  const out: [string, string][] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (statSync(path).size < 20_000_000) out.push([path, readFileSync(path).toString('latin1')]);
  }
  return out;
}

function leaks(outputs: [string, string][]): string[] {
  return outputs.flatMap(([where, text]) =>
    everyPlanted.filter((secret) => text.includes(secret)).map((secret) => `${secret} in ${where}`),
  );
}

function run(
  cli: string,
  args: string[],
  cwd: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, GUNW_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('redaction', () => {
  it.each([
    [`see ${secretUrl('h.example')}`, 'see http://***@h.example/x?token=***&access_token=***&X-Amz-Signature=***'],
    [`Authorization: Bearer ${PLANTED.bearer}`, 'Authorization: Bearer ***'],
    [`sent "Bearer ${PLANTED.bearer}"`, 'sent "Bearer ***"'],
    [`curl -u alice:${PLANTED.curl} https://h/x`, 'curl -u *** https://h/x'],
    [`curl --user=alice:${PLANTED.curl} https://h/x`, 'curl --user=*** https://h/x'],
    [
      `isce2_topsapp --password ${PLANTED.option} --esa-password=${PLANTED.option}`,
      'isce2_topsapp --password *** --esa-password=***',
    ],
    [`EARTHDATA_PASSWORD=${PLANTED.option} run`, 'EARTHDATA_PASSWORD=*** run'],
    [`{"password": "${PLANTED.option}", "name": "x"}`, '{"password": "***", "name": "x"}'],
    [`token: ${PLANTED.token}`, 'token: ***'],
  ])('hides the secret in %s', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each([
    'input github-token: required',
    'the token: missing',
    'password: unset',
    'version=3 and frame 25502, see https://hyp3-api.asf.alaska.edu/jobs?name=x&start_token=eyJzIjo',
    'S1-GUNW-A-R-164-tops-20220212_20220131-222829-00071W_00047N-PP-3d6c-v3_0_1.nc',
  ])('leaves ordinary words alone: %s', (text) => {
    expect(redactText(text)).toBe(
      text.includes('start_token') ? text.replace('start_token=eyJzIjo', 'start_token=***') : text,
    );
  });

  it.each([
    ['machine urs.earthdata.nasa.gov login alice password PLANTbare4', 'PLANTbare4'],
    ['password PLANTbare4\n', 'PLANTbare4'],
    ['Cookie: asf-urs=PLANTcookie5; other=1', 'PLANTcookie5'],
    ['set-cookie: session=PLANTcookie6', 'PLANTcookie6'],
    ['Authorization: Token PLANTauth7abc', 'PLANTauth7abc'],
    ['"authorization": "Bearer PLANTauth8abcdef"', 'PLANTauth8abcdef'],
    ['sshpass -p PLANTssh9 ssh host', 'PLANTssh9'],
    ['mysql -u root -pPLANTmy10 db', 'PLANTmy10'],
    ['{"pwd": "PLANTpwd11"}', 'PLANTpwd11'],
    ['passphrase: PLANTphrase12', 'PLANTphrase12'],
    ['https://h.example/x?access_key=PLANTak13&pw=PLANTpw14&session=PLANTse15&code=PLANTcode16', 'PLANTak13'],
    ['https://proxy.example/go?to=https%3A%2F%2Fbob%3APLANTnest17%40inner.example%2Fx', 'PLANTnest17'],
    ['see https%3A%2F%2Fbob%3APLANTnest18%40inner.example%2Fx', 'PLANTnest18'],
    ['["--password", "PLANTarg19"]', 'PLANTarg19'],
    ["['--esa-password', 'PLANTarg20']", 'PLANTarg20'],
    ['scp bob:PLANTscp21@files.example:/data .', 'PLANTscp21'],
    ['token ghp_PLANTgh22abcdefghijklmnopqrstuvwx', 'ghp_PLANTgh22'],
    ['key AKIAPLANT23ABCDEFGHI', 'AKIAPLANT23'],
    ['pw=PLANTpw24 next', 'PLANTpw24'],
    // Shapes of a later hostile run (26 forms, one got through): a GitLab token among them.
    ['glpat-PLANTgl25abcdefghijklmnop', 'PLANTgl25'],
    ['xoxb-PLANTslack26-abcdefgh', 'PLANTslack26'],
    ['PGPASSWORD=PLANTpg27 psql -h db', 'PLANTpg27'],
    ['{"api_key": "PLANTapi28"}', 'PLANTapi28'],
    ['x-api-key: PLANTapi29', 'PLANTapi29'],
    ['run --token=PLANTtok30 now', 'PLANTtok30'],
    ['https://s3.example/b/k?X-Amz-Signature=PLANTsig31&X-Amz-Credential=x', 'PLANTsig31'],
    ['client_secret=PLANTcs32&grant_type=x', 'PLANTcs32'],
    ['jdbc:postgresql://h/db?user=u&password=PLANTjdbc33', 'PLANTjdbc33'],
  ])('hides the secret of %s', (text, secret) => {
    const redacted = redactText(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain('***');
  });

  it('keeps the words around it, and usage text whole', () => {
    expect(redactText('https://h.example/x?access_key=PLANTak13&pw=PLANTpw14&session=PLANTse15&code=PLANTcode16')).toBe(
      'https://h.example/x?access_key=***&pw=***&session=***&code=***',
    );
    for (const text of [
      '  --password <password>    Earthdata password (else EARTHDATA_PASSWORD, else ~/.netrc); never recorded',
      '  --esa-password <password>  Copernicus Data Space password (else ESA_PASSWORD)',
      '  --hyp3-token <token>       a HyP3 API token',
      'mkdir -p out && gunw diff a.nc b.nc',
      'the password reset link',
      'exit code 2, see the log',
      'S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E at 22:28:03',
      '{"verdict":"pass","reason":null,"tokens":["a","b"],"passes":3}',
    ])
      expect(redactText(text)).toBe(text);
  });

  it('redacts a command line token by token, keeping its shape', () => {
    expect(
      redactCommandLine(
        `isce2_topsapp --cmr-url ${secretUrl('cmr.example')} -u alice:${PLANTED.curl} --frame-id 25502`,
      ),
    ).toBe(
      'isce2_topsapp --cmr-url http://***@cmr.example/x?token=***&access_token=***&X-Amz-Signature=*** -u *** --frame-id 25502',
    );
    expect(redactUrl('https://hyp3-a19-jpl.asf.alaska.edu/jobs')).toBe('https://hyp3-a19-jpl.asf.alaska.edu/jobs');
  });
});

const canPlant = hasPythonModules('h5py', 'numpy');
const canDump = hasCommand('h5dump', ['--version']);

describe.skipIf(!canPlant || !canDump)('no planted secret reaches an output', () => {
  const dir = tempDir('gunw-secrets-');
  let sample: WrittenSample;

  beforeAll(async () => {
    sample = await writeSamplePair(join(dir, 'sample'), 'regressed', { rows: 40, cols: 50 });
  });

  /** Copies of the sample pair whose attributes carry secrets the way real products and tools leak them. */
  function plantedPair(): { reference: string; candidate: string } {
    const reference = join(dir, 'ref-planted.nc');
    const candidate = join(dir, 'cand-planted.nc');
    copyFileSync(sample.reference, reference);
    copyFileSync(sample.candidate, candidate);
    const plant = `
import h5py, sys
for path, n in ((sys.argv[1], 1), (sys.argv[2], 2)):
    with h5py.File(path, "a") as f:
        f.attrs["history"] = f"curl -u alice:${PLANTED.curl} ${secretUrl('data.example', '/g.nc')} (run {n}); Authorization: Bearer ${PLANTED.bearer}"
        f.attrs["topsapp_command_line_string"] = f"isce2_topsapp ++process gunw_slc --cmr-url ${secretUrl('cmr.example')} --password ${PLANTED.option} --frame-id 2550{n}"
`;
    const result = spawnSync(PYTHON, ['-c', plant, reference, candidate], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return { reference, candidate };
  }

  it('gunw diff: stdout, stderr and every file of --report-dir, in every format', async () => {
    const { reference, candidate } = plantedPair();
    const outputs: [string, string][] = [];
    for (const format of ['text', 'json', 'markdown', 'junit']) {
      const report = join(dir, `report-${format}`);
      const result = await run(GUNW, ['diff', reference, candidate, '--format', format, '--report-dir', report], dir);
      expect(result.status).toBe(1);
      outputs.push([`stdout (${format})`, result.stdout], [`stderr (${format})`, result.stderr], ...filesUnder(report));
    }
    // The planted attributes are there, and differ: the report shows them, redacted.
    expect(outputs.find(([w]) => w === 'stdout (json)')![1]).toContain('Authorization: Bearer ***');
    expect(leaks(outputs)).toEqual([]);
  });

  it('isce2_topsapp package: a hand-written plan.json cannot put a secret into the product', async () => {
    const isce = join(dir, 'isce');
    expect((await run(ISCE2_TOPSAPP, ['sample', '--out', isce], dir)).status).toBe(0);
    const plan = JSON.parse(readFileSync(join(isce, 'plan.json'), 'utf8'));
    plan.commandLine = `isce2_topsapp ++process gunw_slc --password ${PLANTED.option} --cmr-url ${secretUrl('cmr.example')} -u bob:${PLANTED.curl}`;
    writeFileSync(join(isce, 'plan.json'), JSON.stringify(plan));
    const delivery = join(dir, 'delivery');
    const result = await run(ISCE2_TOPSAPP, ['package', '--isce-dir', isce, '--out', delivery], dir);
    expect(result.status, result.stderr).toBe(0);
    const [id] = readdirSync(delivery).filter((n) => n.startsWith('S1-GUNW'));
    const attributes = spawnSync('h5dump', ['-A', join(delivery, id!, `${id}.nc`)], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(attributes.stdout).toContain('--password ***');
    expect(
      leaks([
        ['stdout', result.stdout],
        ['stderr', result.stderr],
        ['h5dump -A', attributes.stdout],
        ...filesUnder(delivery),
      ]),
    ).toEqual([]);
  });

  it('isce2_topsapp --dry-run: every service URL and --s3-endpoint carrying credentials, and --password', async () => {
    const frames = join(import.meta.dirname, '../fixtures/frames');
    const cmr = await cmrService().start();
    const files = await fileService(
      new Map([
        ['/frames.geojson', readFileSync(join(frames, 'latitude-aligned.geojson'))],
        ['/footprints.geojson', readFileSync(join(frames, 'footprints.geojson'))],
      ]),
    ).start();
    const scenes = [
      'S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E',
      'S1A_IW_SLC__1SDV_20220212T222828_20220212T222855_041886_04FCA3_A3E2',
    ];
    const secondary = [
      'S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F',
      'S1A_IW_SLC__1SDV_20220131T222828_20220131T222855_041711_04F690_28D7',
    ];
    const common = [
      '++process',
      'gunw_slc',
      '--reference-scenes',
      scenes.join(' '),
      '--secondary-scenes',
      secondary.join(' '),
      '--frame-id',
      '25502',
      '--username',
      'alice',
      '--password',
      PLANTED.option,
    ];
    const recorded = [
      '--orbits-url',
      secretUrl(files.host, '/orbits'),
      '--dem-tiles-url',
      secretUrl(files.host, '/glo30'),
      '--geoid-url',
      secretUrl(files.host, '/egm08.tif'),
      '--aux-cal-url',
      secretUrl(files.host, '/aux.zip'),
      '--aux-cal-catalogue',
      secretUrl(files.host, '/api/v1/'),
      '--bucket',
      'hyp3-content',
      '--s3-endpoint',
      secretUrl(files.host, ''),
      '--dry-run',
    ];
    const outputs: [string, string][] = [];
    // Services asked during the dry run (CMR, the frame tables) with credentials in their URLs: the run stops, and says
    // why.
    const asked = join(dir, 'dry-run-asked');
    mkdirSync(asked);
    const stopped = await run(
      ISCE2_TOPSAPP,
      [
        ...common,
        '--cmr-url',
        secretUrl(cmr.host, ''),
        '--frames',
        secretUrl(files.host, '/frames.geojson'),
        '--frame-footprints',
        secretUrl(files.host, '/footprints.geojson'),
        ...recorded,
      ],
      asked,
    );
    expect(stopped.status).toBe(2);
    outputs.push(['stdout (stopped)', stopped.stdout], ['stderr (stopped)', stopped.stderr], ...filesUnder(asked));
    // The services it asks reachable: the whole plan, with every other URL in it, is written.
    const planned = join(dir, 'dry-run-planned');
    mkdirSync(planned);
    const plan = await run(
      ISCE2_TOPSAPP,
      [
        ...common,
        '--cmr-url',
        cmr.base,
        '--frames',
        join(frames, 'latitude-aligned.geojson'),
        '--frame-footprints',
        join(frames, 'footprints.geojson'),
        ...recorded,
      ],
      planned,
    );
    expect(plan.status, plan.stderr).toBe(0);
    expect(readFileSync(join(planned, 'plan.json'), 'utf8')).toContain(`http://***@${files.host}/glo30`);
    outputs.push(['stdout (planned)', plan.stdout], ['stderr (planned)', plan.stderr], ...filesUnder(planned));
    expect(leaks(outputs)).toEqual([]);
  });

  it('gunw regression run: case URLs carrying credentials, in stdout, stderr and every report', async () => {
    const product = readFileSync(sample.reference);
    const server = await fileService(
      new Map([
        ['/ref.nc', product],
        ['/cand.nc', readFileSync(sample.candidate)],
      ]),
    ).start();
    const sha = (await import('node:crypto')).createHash('sha256').update(product).digest('hex');
    const cases = join(dir, 'cases');
    mkdirSync(cases);
    writeFileSync(
      join(cases, 'planted.yml'),
      `name: planted
job:
  reference_scenes: [S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E]
  secondary_scenes: [S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F]
  frame_id: 25502
reference:
  url: "http://${server.host}/ref.nc?token=${PLANTED.token}&X-Amz-Signature=${PLANTED.signature}"
  sha256: "${sha}"
candidate:
  url: "http://${server.host}/cand.nc?access_token=${PLANTED.accessToken}"
`,
    );
    const report = join(dir, 'regression');
    const result = await run(GUNW, ['regression', 'run', '--cases', cases, '--report-dir', report], dir);
    expect(result.status, result.stderr).toBe(1);
    expect(leaks([['stdout', result.stdout], ['stderr', result.stderr], ...filesUnder(report)])).toEqual([]);
  });

  it('gunw hyp3: a --hyp3-url carrying credentials and a token', async () => {
    const cases = join(dir, 'hyp3-cases');
    mkdirSync(cases);
    writeFileSync(
      join(cases, 'c.yml'),
      'name: c\njob:\n  reference_scenes: [S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E]\n  secondary_scenes: [S1A_IW_SLC__1SDV_20220131T222803_20220131T222830_041711_04F690_8F5F]\n  frame_id: 25502\n',
    );
    const result = await run(
      GUNW,
      ['hyp3', 'status', '--cases', cases, '--hyp3-url', secretUrl('127.0.0.1:9', ''), '--hyp3-token', PLANTED.bearer],
      dir,
    );
    expect(result.status).toBe(2);
    expect(
      leaks([
        ['stdout', result.stdout],
        ['stderr', result.stderr],
      ]),
    ).toEqual([]);
  });
});
