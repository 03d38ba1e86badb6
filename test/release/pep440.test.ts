import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatPep440, isNormalPep440, parsePep440 } from '../../src/release/pep440.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';

/**
 * The project's PEP 440 reader against the reference, Python's `packaging.version` (what setuptools_scm and pip
 * use): every spelling below, odd ones included, is read and normalised the same way or refused by both. This is
 * also the measurement behind keeping it hand-written (src/release/pep440.ts).
 */
const SPELLINGS = [
  '0.4.1',
  'v0.4.1',
  'V1.0',
  '0.4.1.dev3+gabc1234',
  '1!2.0',
  '1.0a1',
  '1.0-alpha.1',
  '1.0beta2',
  '1.0c3',
  '1.0rc1',
  '1.0pre',
  '1.0preview2',
  '1.0a',
  '1.0.a.1',
  '1.0alpha-3',
  '1.0-1',
  '1.0.post',
  '1.0-r4',
  '1.0rev2',
  '1.0-post-1',
  '1.0.dev',
  '1.0dev4',
  '1.0_dev_1',
  '1.0-dev',
  '1.0.post1.dev2',
  '1.0rc1.post2.dev3+abc',
  '1.0.dev1.post1',
  '1.0+ubuntu-1',
  '1.0+Local_Thing.2',
  '  1.0 ',
  '1.0.0.0.0',
  '01.002',
  '0.3.8+unknown',
  '2.0.0-rc.1',
  'v1.0.0-beta.2',
  '1.0+',
  '1.0++',
  'garbage',
  '1..0',
  '1.0-',
  '1.0.',
  '1!',
  '1.0a1b2',
  '',
];

describe.skipIf(!hasPythonModules('packaging'))('PEP 440 versions', () => {
  it('reads and normalises every spelling as packaging.version does, or refuses it as packaging does', () => {
    const script = `
import json, sys
from packaging.version import Version, InvalidVersion
def normal(v):
    try: return str(Version(v))
    except InvalidVersion: return None
print(json.dumps([normal(v) for v in json.loads(sys.argv[1])]))`;
    const run = spawnSync(PYTHON, ['-c', script, JSON.stringify(SPELLINGS)], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const reference = JSON.parse(run.stdout) as (string | null)[];
    const ours = SPELLINGS.map((v) => {
      const parsed = parsePep440(v);
      return parsed ? formatPep440(parsed) : null;
    });
    expect(ours).toEqual(reference);
    // Refusals are part of the comparison: a reader that accepted everything would fail above.
    expect(reference.filter((v) => v === null).length).toBeGreaterThanOrEqual(8);
    for (const [i, normal] of reference.entries())
      if (normal !== null) expect(isNormalPep440(SPELLINGS[i]!), SPELLINGS[i]).toBe(normal === SPELLINGS[i]);
  });
});
