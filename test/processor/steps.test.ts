import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/cli/processor/dispatch.js';
import { boxAround, burstFootprint, parseSwathAnnotation } from '../../src/isce/annotation.js';
import { burstRegion } from '../../src/processor/gunw-burst.js';
import { UsageError } from '../../src/errors.js';
import { emptyState, stepsToRun, withStep } from '../../src/processor/run-state.js';
import { runSteps, StepFailedError } from '../../src/processor/runner.js';
import { templatePath } from '../../src/processor/steps.js';
import { geocodeList, renderTemplate, topsappValues } from '../../src/processor/topsapp-config.js';
import { FIXTURES } from '../helpers/services.js';
import { tempDir } from '../helpers/tmp.js';

const annotation = parseSwathAnnotation(
  readFileSync(join(FIXTURES, 'isce2/s1b-iw3-slc-vv-20180628t151555-20180628t151558-011575-015476-001.xml'), 'utf8'),
);

describe('Sentinel-1 annotation', () => {
  it('reads swath, pass, burst timing and the geolocation grid of a real annotation', () => {
    expect(annotation).toMatchObject({
      swath: 'IW3',
      polarisation: 'VV',
      pass: 'DESCENDING',
      linesPerBurst: 1519,
      burstCount: 1,
    });
    expect(annotation.grid).toHaveLength(42);
    expect(annotation.grid[0]).toEqual({
      line: 0,
      pixel: 0,
      latitude: 57.07995239315457,
      longitude: -135.2200518146141,
    });
  });

  it('walks a burst footprint round its first and last grid rows', () => {
    const ring = burstFootprint(annotation, 1)[0]!;
    expect(ring).toHaveLength(43);
    expect(ring[0]).toEqual(ring.at(-1));
    expect(() => burstFootprint(annotation, 2, 'IW3')).toThrow('IW3: burst 2 does not exist (IW3 has 1 burst)');
  });

  it('puts the region of interest at the burst centre, and refuses a secondary that misses it', () => {
    const region = burstRegion(annotation, annotation, 1);
    expect(region.bounds[2] - region.bounds[0]).toBeCloseTo(0.01, 6);
    const shifted = { ...annotation, grid: annotation.grid.map((p) => ({ ...p, longitude: p.longitude + 5 })) };
    expect(() => burstRegion(annotation, shifted, 1)).toThrow(/does not cover burst 1 of the reference IW3/);
    expect(boxAround([1.23456789, 2], 0.5)).toEqual([0.734568, 1.5, 1.734568, 2.5]);
  });

  it('says which element is missing from something that is not an annotation', () => {
    expect(() =>
      parseSwathAnnotation('<product><geolocationGridPoint><line>0</line></geolocationGridPoint></product>', 'x.xml'),
    ).toThrow('x.xml: no <pixel> element');
  });
});

describe('run state', () => {
  const steps = ['a', 'b', 'c', 'd'];
  const record = (name: string, status: 'done' | 'failed') => ({
    name,
    status,
    startedAt: '',
    seconds: 0,
    log: '',
    error: null,
  });

  it('resumes after the last consecutive completed step', () => {
    const state = withStep(
      withStep(withStep(emptyState('job'), record('a', 'done')), record('b', 'done')),
      record('c', 'failed'),
    );
    expect(stepsToRun(steps, state, true)).toEqual(['c', 'd']);
    expect(stepsToRun(steps, state, false)).toEqual(steps);
    expect(stepsToRun(steps, withStep(state, record('a', 'failed')), true)).toEqual(steps);
  });
});

describe('topsApp.xml template', () => {
  const inputs = {
    referenceZips: ['r.zip'],
    secondaryZips: ['s1.zip', 's2.zip'],
    regionOfInterest: [47.2, 48.7, -71.3, -67.6] as const,
    looks: { range: 19, azimuth: 7 },
    esdCoherenceThreshold: 0.7,
    denseOffsets: true,
    ionosphere: false,
    filterStrength: 0.5,
  };

  it('fills every placeholder of templates/topsApp.xml with Python-literal values', () => {
    const xml = renderTemplate(readFileSync(templatePath(), 'utf8'), topsappValues(inputs));
    expect(xml).not.toMatch(/\{\{/);
    expect(xml).toContain("<property name=\"safe\">['s1.zip', 's2.zip']</property>");
    expect(xml).toContain('<property name="do ESD">True</property>');
    expect(xml).toContain('<property name="ESD coherence threshold">0.7</property>');
    expect(xml).toContain('<property name="do dense offsets">True</property>');
    expect(xml).toContain(
      `<property name="geocode list">[${geocodeList(true)
        .map((g) => `'${g}'`)
        .join(', ')}]</property>`,
    );
    expect(topsappValues({ ...inputs, esdCoherenceThreshold: -1 }).esdCoherenceThreshold).toBe('-1.0');
    const withIonosphere = renderTemplate(
      readFileSync(templatePath(), 'utf8'),
      topsappValues({ ...inputs, ionosphere: true, denseOffsets: false }),
    );
    // topsApp's own ion step stays off: the ion:* steps make the ionosphere, as the plugin's iono_processing does.
    expect(withIonosphere).toContain('<property name="do ionosphere correction">False</property>');
    expect(withIonosphere).not.toContain('consider burst properties');
    // The burst ramps are geocoded too, or a real run has no ionosphereBurstRamps layer to package.
    expect(withIonosphere).toContain(
      "'merged/filt_topophase.unw.conncomp', 'merged/topophase.ion', 'merged/topophase.ion.az_shift']</property>",
    );
  });

  it('treats a placeholder without a value, or a value without a placeholder, as a bug', () => {
    expect(() => renderTemplate('<a>{{ missing }}</a>', {})).toThrow('template placeholder {{ missing }} has no value');
    expect(() => renderTemplate('<a/>', { extra: '1' })).toThrow('template has no placeholder for extra');
    expect(renderTemplate('<a>{{ v }}</a>', { v: 'x<y&z' })).toBe('<a>x&lt;y&amp;z</a>');
  });
});

describe('HyP3 dispatch', () => {
  it('takes ++ options anywhere, in both spellings, and leaves the rest to the entry point', () => {
    expect(dispatch(['--bucket', 'b', '++omp-num-threads', '4', '++process=gunw_burst', '--x'])).toEqual({
      entrypoint: 'gunw_burst',
      ompNumThreads: 4,
      args: ['--bucket', 'b', '--x'],
      help: false,
    });
    expect(dispatch(['--x']).ompNumThreads).toBeNull();
    for (const bad of ['0', '-1', '4097', ''])
      expect(() => dispatch(['++omp-num-threads', bad]), bad).toThrow(
        'expected a whole number of threads from 1 to 4096 (leave the option out to keep OMP_NUM_THREADS as it is)',
      );
    expect(() => dispatch(['++omp-num-threads', 'many'])).toThrow(
      '++omp-num-threads many: expected a whole number of threads',
    );
    expect(() => dispatch(['++stack'])).toThrow(
      'unknown dispatcher option ++stack (known: ++process, ++omp-num-threads)',
    );
  });
});

describe('a failing step', () => {
  it('fails naming the step and its log, and keeps the original error as the cause', async () => {
    const original = new UsageError('the DEM tiles could not be read');
    const failure = await runSteps([{ name: 'localize:dem', run: async () => Promise.reject(original) }], {
      workdir: tempDir(),
      job: 'j',
      resume: false,
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StepFailedError);
    expect((failure as Error).message).toBe(
      'step localize:dem failed: the DEM tiles could not be read (log: logs/01-localize:dem.log)',
    );
    expect((failure as Error).cause).toBe(original);
  });
});

describe('steps run side by side in a group', () => {
  it('runs a group at once, lets every member finish, records them in step order and throws the first failure', async () => {
    const workdir = tempDir();
    let releaseFirst!: () => void;
    const secondStarted = new Promise<void>((resolve) => (releaseFirst = resolve));
    const order: string[] = [];
    const steps = [
      {
        name: 'localize:slcs',
        group: 'localize',
        // Finishes only once the second member has started: a runner that ran them one by one would stall here.
        run: async () => {
          await Promise.race([
            secondStarted,
            new Promise((_, reject) => setTimeout(() => reject(new Error('not run side by side')), 5_000)),
          ]);
          order.push('slcs');
        },
      },
      {
        name: 'localize:dem',
        group: 'localize',
        run: async () => {
          releaseFirst();
          order.push('dem');
          await Promise.reject(new UsageError('no DEM tiles'));
        },
      },
      { name: 'localize:orbits', group: 'localize', run: async () => void order.push('orbits') },
      { name: 'configure', run: async () => void order.push('configure') },
    ];
    const failure = await runSteps(steps, { workdir, job: 'j', resume: false }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StepFailedError);
    expect((failure as Error).message).toMatch(/^step localize:dem failed: no DEM tiles/);
    // Every member finished before the failure was thrown; nothing after the group ran.
    expect(order.sort()).toEqual(['dem', 'orbits', 'slcs']);
    const state = JSON.parse(readFileSync(join(workdir, 'run-state.json'), 'utf8')) as {
      steps: { name: string; status: string }[];
    };
    expect(state.steps.map((s) => [s.name, s.status])).toEqual([
      ['localize:slcs', 'done'],
      ['localize:dem', 'failed'],
      ['localize:orbits', 'done'],
    ]);
  });
});
