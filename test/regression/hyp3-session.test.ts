import { beforeAll, describe, expect, it } from 'vitest';
import { hyp3DeploymentUrl, hyp3Session, regressionCacheDir } from '../../src/regression/hyp3-session.js';
import { Hyp3Simulation, TOKEN } from '../helpers/hyp3-server.js';

/** One way to open HyP3 for `gunw regression run`, `gunw hyp3 …` and the regression action. */
describe('a HyP3 session', () => {
  let hyp3: Hyp3Simulation;
  beforeAll(async () => {
    hyp3 = await new Hyp3Simulation(() => null).start();
  });

  it('names the deployments by their short names and takes https (or a local stand-in) URLs', () => {
    expect(hyp3DeploymentUrl('test')).toBe('https://hyp3-a19-jpl-test.asf.alaska.edu');
    expect(hyp3DeploymentUrl('edc')).toBe('https://hyp3-api.asf.alaska.edu');
    expect(hyp3DeploymentUrl('https://hyp3.example/api')).toBe('https://hyp3.example/api');
    expect(() => hyp3DeploymentUrl('http://hyp3.example')).toThrow(/use https \(tokens and passwords travel/);
    expect(() => hyp3DeploymentUrl('staging')).toThrow(/name one of production, test, edc or give its https URL/);
  });

  it('uses the token given before any in the environment, and the environment before ~/.netrc', async () => {
    const given = hyp3Session({ deployment: hyp3.service.base, token: TOKEN, env: { EARTHDATA_TOKEN: 'stale' } });
    await expect(given.listJobs({ name: 'none' })).resolves.toEqual([]);
    const fromEnv = hyp3Session({ deployment: hyp3.service.base, env: { EARTHDATA_TOKEN: TOKEN } });
    await expect(fromEnv.listJobs({ name: 'none' })).resolves.toEqual([]);
    const wrong = hyp3Session({ deployment: hyp3.service.base, env: { EARTHDATA_TOKEN: 'not-the-token' } });
    await expect(wrong.listJobs({ name: 'none' })).rejects.toThrow(/HyP3 rejected the cre/);
  });

  it('says in one line how to log in when nothing is given (the action passes no environment)', () => {
    expect(() => hyp3Session({ deployment: 'test' })).toThrow(
      /^HyP3 needs Earthdata Login: pass --hyp3-token, set EARTHDATA_TOKEN, or give EARTHDATA_USERNAME\/EARTHDATA_PASSWORD or a ~\/\.netrc entry for urs\.earthdata\.nasa\.gov$/,
    );
  });

  it("keeps its downloads in the runner's temporary directory in a job, else in the user's cache", () => {
    expect(regressionCacheDir({ RUNNER_TEMP: '/runner/_temp' })).toBe('/runner/_temp/gunw-regression-cache');
    expect(regressionCacheDir({ XDG_CACHE_HOME: '/home/u/.cache' })).toBe(
      '/home/u/.cache/dockerized-topsapp/regression',
    );
  });
});
