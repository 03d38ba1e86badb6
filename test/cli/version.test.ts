import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TestRepo } from '../helpers/gitdir.js';
import { hasCommand } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * One version everywhere: `--version` of both bins, `gunw version` of the checkout, the products' attribute and the
 * image's stamp are the same version the release tools compute, never package.json's placeholder beside it.
 */
const root = join(import.meta.dirname, '../..');
// A dirty tree's version carries the day; one fixed day keeps a run that crosses midnight comparing like with like.
const env = { ...process.env, SOURCE_DATE_EPOCH: '1780000000' };

function run(
  cwdRoot: string,
  bin: string,
  args: string[],
  cwd = cwdRoot,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(cwdRoot, 'lib/cli', bin), ...args], { cwd, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const manifestVersion = (): string =>
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The version this checkout runs as: what `gunw version` computes in it, or, where git cannot tell (a shallow clone,
 * as CI may make, has neither the tags nor the history), package.json's.
 */
function checkoutVersion(): string {
  const computed = run(root, 'gunw.js', ['version', '--repo', root]);
  if (computed.status === 0) return computed.stdout.trim();
  expect(computed.stderr).toMatch(/shallow clone|not a git repository/);
  return manifestVersion();
}

describe('the version in a checkout', () => {
  it('is what gunw version computes there, for both bins', () => {
    const version = checkoutVersion();
    expect(version).toMatch(/^\d+\.\d+/);
    expect(run(root, 'gunw.js', ['--version']).stdout.trim()).toBe(version);
    expect(run(root, 'gunw.js', ['-V']).stdout.trim()).toBe(version);
    expect(run(root, 'isce2-topsapp.js', ['--version']).stdout.trim()).toBe(version);
  });

  it.runIf(hasCommand('ncdump', ['-h']))('is the isce2_topsapp_version a product carries', () => {
    const dir = tempDir();
    expect(run(root, 'isce2-topsapp.js', ['sample', '--out', join(dir, 'isce')], dir).status).toBe(0);
    const packaged = run(root, 'isce2-topsapp.js', ['package', '--isce-dir', 'isce', '--out', 'delivery'], dir);
    expect(packaged.status, packaged.stderr).toBe(0);
    const delivery = packaged.stdout.trim();
    const product = join(delivery, `${delivery.split('/').pop()!}.nc`);
    const header = spawnSync('ncdump', ['-h', product], { encoding: 'utf8' }).stdout;
    const version = checkoutVersion();
    expect(header).toContain(`:isce2_topsapp_version = "${version}" ;`);
    expect(header).toContain(`DockerizedTopsApp HyP3 plugin version ${version}`);
  });

  it("is package.json's in a shallow clone, which has no tags to compute one from", () => {
    const origin = TestRepo.create();
    origin.commit('first');
    origin.tag('v0.3.8');
    origin.commit('second');
    const clone = join(tempDir(), 'clone');
    const cloned = spawnSync('git', ['clone', '-q', '--depth', '1', `file://${origin.dir}`, clone], {
      encoding: 'utf8',
    });
    expect(cloned.status, cloned.stderr).toBe(0);
    cpSync(join(root, 'lib'), join(clone, 'lib'), { recursive: true });
    cpSync(join(root, 'package.json'), join(clone, 'package.json'));
    symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
    expect(run(clone, 'gunw.js', ['version', '--repo', clone]).stderr).toMatch(/shallow clone/);
    expect(run(clone, 'gunw.js', ['--version']).stdout.trim()).toBe(manifestVersion());
  });
});

describe('the version of a build without .git (the image)', () => {
  let pkg: string;
  beforeAll(() => {
    pkg = tempDir();
    cpSync(join(root, 'lib'), join(pkg, 'lib'), { recursive: true });
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    cpSync(join(root, 'scripts/stamp-version.mjs'), join(pkg, 'scripts/stamp-version.mjs'));
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  });
  const stamp = (...args: string[]) =>
    spawnSync(process.execPath, [join(pkg, 'scripts/stamp-version.mjs'), ...args], { encoding: 'utf8' });

  it('says it is unknown when nothing was passed in, and warns at build time', () => {
    const result = stamp('');
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^warning: no version given .*GUNW_VERSION/);
    expect(run(pkg, 'gunw.js', ['--version']).stdout.trim()).toBe(`${manifestVersion()}+unknown`);
  });

  it('carries the version the build argument passed in', () => {
    expect(stamp('0.4.1.dev3+gabc1234ef').status).toBe(0);
    expect(run(pkg, 'gunw.js', ['--version']).stdout.trim()).toBe('0.4.1.dev3+gabc1234ef');
    expect(run(pkg, 'isce2-topsapp.js', ['--version']).stdout.trim()).toBe('0.4.1.dev3+gabc1234ef');
  });

  it('refuses a build argument that is no version, keeping the earlier stamp', () => {
    const result = stamp('v0.4.0; rm -rf /');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/is not a PEP 440 version/);
    expect(run(pkg, 'gunw.js', ['--version']).stdout.trim()).toBe('0.4.1.dev3+gabc1234ef');
  });
});

describe('the image build', () => {
  it('is given the version the container action computed', () => {
    const action = readFileSync(join(root, 'actions/container/action.yml'), 'utf8');
    expect(action).toMatch(/build-args: GUNW_VERSION=\$\{\{ steps\.meta\.outputs\.version \}\}/);
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG GUNW_VERSION=""$/m);
    expect(dockerfile).toMatch(/node scripts\/stamp-version\.mjs "\$GUNW_VERSION"/);
  });
});
