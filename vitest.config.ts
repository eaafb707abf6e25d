import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most test files wait on servers and child processes, not the CPU: vitest's default (one fork fewer than the
    // cores) ran the suite one file at a time on the 2-core CI machine, 289 s; two at once took 186 s, same load.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
