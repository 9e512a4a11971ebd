import { defineConfig } from 'vitest/config';

// No 'source' condition: everything here resolves to the built dist (turbo builds it first), as users get it.
export default defineConfig({
  test: { testTimeout: 300_000, hookTimeout: 300_000, pool: 'forks', fileParallelism: false },
});
