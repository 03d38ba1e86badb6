import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { hasPythonModules, PYTHON } from '../helpers/tools.js';
import { parseNetrc } from '../../src/io/netrc.js';
import { cdseCredential, earthdataCredential } from '../../src/processor/credentials.js';
import { secretMask } from '../../src/redaction.js';
import { provenanceCommandLine } from '../../src/processor/job.js';

const NETRC = parseNetrc(`
# comments are ignored
machine urs.earthdata.nasa.gov
  login netrc-user
  password netrc-pass
machine dataspace.copernicus.eu login esa-netrc password esa-netrc-pass
default login anonymous password guest
`);

describe('credential precedence: flags, then environment, then ~/.netrc', () => {
  it('reads netrc entries written over several lines or on one', () => {
    expect(NETRC.get('urs.earthdata.nasa.gov')).toEqual({ login: 'netrc-user', password: 'netrc-pass' });
    expect(NETRC.get('dataspace.copernicus.eu')).toEqual({ login: 'esa-netrc', password: 'esa-netrc-pass' });
  });

  it("reads ~/.netrc as Python's netrc does: # in a password, quoted tokens, comments, macro definitions", () => {
    const text = [
      'machine urs.earthdata.nasa.gov login alice password s3cr#t99 # a comment after the entry',
      '# a whole comment line',
      'machine dataspace.copernicus.eu',
      '  login "bob smith"',
      '  password "p w\\"d"',
      'macdef init',
      'cd /x',
      'machine inside-the-macro login nobody password none',
      '',
      'machine other login carol password c#1',
      '',
    ].join('\n');
    const ours = Object.fromEntries([...parseNetrc(text)].map(([host, e]) => [host, [e.login, e.password]]));
    expect(ours['urs.earthdata.nasa.gov']).toEqual(['alice', 's3cr#t99']);
    if (hasPythonModules('netrc')) {
      const dir = tempDir('gunw-netrc-');
      writeFileSync(join(dir, 'netrc'), text);
      const python = spawnSync(
        PYTHON,
        [
          '-c',
          'import json, netrc, sys; print(json.dumps({h: [l, p] for h, (l, a, p) in netrc.netrc(sys.argv[1]).hosts.items()}))',
          join(dir, 'netrc'),
        ],
        { encoding: 'utf8' },
      );
      expect(ours).toEqual(JSON.parse(python.stdout));
    }
  });

  it('prefers flags over the environment and an existing ~/.netrc (the original let netrc win)', () => {
    const env = { EARTHDATA_USERNAME: 'env-user', EARTHDATA_PASSWORD: 'env-pass' };
    expect(earthdataCredential({ username: 'flag-user', password: 'flag-pass' }, env, NETRC)).toEqual({
      username: 'flag-user',
      password: 'flag-pass',
      source: 'command-line flags',
    });
    expect(earthdataCredential({}, env, NETRC)).toEqual({
      username: 'env-user',
      password: 'env-pass',
      source: 'EARTHDATA_USERNAME/EARTHDATA_PASSWORD',
    });
    expect(earthdataCredential({}, {}, NETRC)).toEqual({
      username: 'netrc-user',
      password: 'netrc-pass',
      source: '~/.netrc (machine urs.earthdata.nasa.gov)',
    });
  });

  it('completes a half-given pair from the next source, saying so', () => {
    expect(earthdataCredential({ username: 'flag-user' }, { EARTHDATA_PASSWORD: 'env-pass' }, null)).toEqual({
      username: 'flag-user',
      password: 'env-pass',
      source: 'flags and EARTHDATA_USERNAME/EARTHDATA_PASSWORD',
    });
  });

  it('reports a missing credential as null (the CLI turns it into one line before any work)', () => {
    expect(earthdataCredential({}, {}, null)).toBeNull();
    expect(earthdataCredential({}, { EARTHDATA_USERNAME: 'only-user' }, null)).toBeNull();
  });

  it('finds CDSE credentials under ESA_* or CDSE_* variables or the dataspace netrc entry', () => {
    expect(cdseCredential({}, { CDSE_USERNAME: 'c', CDSE_PASSWORD: 'd' }, null)?.source).toBe(
      'CDSE_USERNAME/CDSE_PASSWORD',
    );
    expect(
      cdseCredential({}, { ESA_USERNAME: 'a', ESA_PASSWORD: 'b', CDSE_USERNAME: 'c', CDSE_PASSWORD: 'd' }, null)
        ?.username,
    ).toBe('a');
    expect(cdseCredential({}, {}, NETRC)?.username).toBe('esa-netrc');
  });
});

describe('secrets stay out of what is written', () => {
  it('replaces every known secret, in plain and URL-encoded form, and leaves other text alone', () => {
    const mask = secretMask(['p@ss word!', null, 'abc']);
    expect(mask('login with p@ss word! or p%40ss%20word! then abc')).toBe('login with *** or *** then abc');
  });

  it('masks a value only where it stands as a whole token: scene names, dates and product IDs never change', () => {
    const id = 'S1-GUNW-A-R-064-tops-20220212_20220131-222803-00071W_00038N-PP-8f2a-v3_0_1';
    const scene = 'S1A_IW_SLC__1SDV_20220212T222803_20220212T222830_041886_04FCA3_2B3E';
    const text = JSON.stringify({ productId: id, scenes: [scene], note: 'password 2022 then S1A_IW_SLC' });
    for (const secret of ['2022', 'S1A_IW_SLC', '0212', 'tops', 'GUNW-A']) {
      const masked = secretMask([secret])(text);
      expect(masked).toContain(id);
      expect(masked).toContain(scene);
    }
    expect(secretMask(['2022'])(text)).toContain('password *** then S1A_IW_SLC');
    expect(secretMask(['S1A_IW_SLC'])(text)).toContain('password 2022 then ***"');
    expect(secretMask(['hunter2'])('["--password","hunter2"] x=hunter2&y hunter22')).toBe(
      '["--password","***"] x=***&y hunter22',
    );
  });

  it('records the HyP3 command line with ++process and every secret as ***', () => {
    const argv = [
      '++omp-num-threads',
      '4',
      '--bucket',
      'b',
      '--reference-scenes',
      'A B',
      '--password',
      's3cret',
      '--esa-password=t0p',
      '--frame-id',
      '25502',
    ];
    expect(provenanceCommandLine('gunw_slc', argv)).toBe(
      'isce2_topsapp ++process gunw_slc ++omp-num-threads 4 --bucket b --reference-scenes "A B" --password *** --esa-password=*** --frame-id 25502',
    );
    expect(provenanceCommandLine('gunw_burst', ['++process', 'gunw_burst', '--username', 'u'])).toBe(
      'isce2_topsapp ++process gunw_burst --username u',
    );
  });
});
