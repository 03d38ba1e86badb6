import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests write real files under os.tmpdir(); each file gets its own directory.
    pool: 'forks',
  },
});
