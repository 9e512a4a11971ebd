import { defineConfig, mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.js';

// No 'source' condition: everything here resolves to the built dist (turbo builds it first), as users get it.
export default mergeConfig(packageTestConfig({ source: false, testTimeout: 300_000 }), defineConfig({ test: { fileParallelism: false } }));
