// One build recipe for every published package: ESM + CJS + .d.ts for Node 20. No source maps: the tarballs do
// not ship src/, so maps would point nowhere (or embed the whole source again); dist is unminified and readable.
import type { Options } from 'tsup';

export function packageBuild(overrides: Options = {}): Options {
  return {
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: false,
    target: 'node20',
    ...overrides,
  };
}
