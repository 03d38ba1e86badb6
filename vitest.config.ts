import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three groups, all run by `npm test`:
 * - fast: the library's unit and file-level tests (`npm run test:fast`, under a minute on two cores);
 * - cli: the built programs run end to end against local stand-ins of the services;
 * - slow: the sweeps (a thousand damaged files, secrets in every output, production-format products), the checks
 *   against outside references (Python, Chromium, the bundled actions) and the tests that kill and restart processes.
 * Time limits are hang guards sized for a machine whose cores are busy with other work, never verdicts on speed;
 * speed is measured by `npm run bench`.
 */
const SLOW = [
  'test/netcdf/damaged-files.test.ts',
  'test/security/secrets.test.ts',
  'test/packaging/production.test.ts',
  'test/processor/ionosphere/numpy-reference.test.ts',
  'test/processor/ionosphere/steps.test.ts',
  'test/io/owned-dir.test.ts',
  'test/actions/regression.test.ts',
  'test/regression/regression.test.ts',
  // Checked against outside references: Python (PySolid, shapely, GDAL, h5py), Chromium, the bundled actions run
  // as the runner runs them, esbuild rebuilding the bundles.
  'test/actions/actions.test.ts',
  'test/actions/dist.test.ts',
  'test/release/adoption.test.ts',
  'test/netcdf/links.test.ts',
  'test/geometry/solid-tide-pysolid.test.ts',
  'test/product/water-fraction.test.ts',
  'test/report/html-layout.test.ts',
  'test/packaging/ionosphere-grid.test.ts',
  // Many real git repositories, and vitest listing itself.
  'test/release/plan.test.ts',
  'test/scripts.test.ts',
];

export default defineConfig({
  test: {
    // Tests write real files under os.tmpdir(); each file gets its own directory.
    pool: 'forks',
    // vitest's default leaves one core free, which on a two-core machine runs one file at a time: most tests wait on
    // child processes (Python references, the built programs), so two at a time took the suite from 793 s to 499 s.
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: ['test/cli/**', ...SLOW],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: { name: 'cli', include: ['test/cli/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 240_000 },
      },
      {
        extends: true,
        test: { name: 'slow', include: SLOW, testTimeout: 240_000, hookTimeout: 900_000 },
      },
    ],
  },
});
