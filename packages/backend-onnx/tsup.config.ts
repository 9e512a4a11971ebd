import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // node-env.ts resolves onnxruntime-node with import.meta.url in ESM; the CJS build needs the shim.
  shims: true,
});
