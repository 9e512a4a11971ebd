import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mnistDataDir } from '@convzoo/datasets';
import { getPretrainedEntry } from '@convzoo/weights/browser';
import { defineConfig, type Plugin } from 'vite';
import { assetFiles, resnetWeightsDir } from './scripts/assets.js';

// Cross-origin isolation (SharedArrayBuffer) lets onnxruntime-web and tfjs-wasm use threads; without it both run
// single-threaded.
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const weightFiles = Object.keys(getPretrainedEntry('resnet50', 'keras_imagenet').source.files);

function convzooAssets(): Plugin {
  const files = assetFiles(weightFiles, mnistDataDir());
  // MNIST is gzipped once per process (about 2 s for the 55 MB).
  const gzipped = new Map<string, Uint8Array>();
  const gz = (file: string) => gzipped.get(file) ?? gzipped.set(file, gzipSync(readFileSync(file))).get(file)!;
  const missing = files.filter((f) => !existsSync(f.file));
  let outDir = 'dist';
  return {
    name: 'convzoo-assets',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0]?.replace(/^\//, '');
        const hit = files.find((f) => f.url === path);
        if (!hit || !existsSync(hit.file)) return next();
        if (hit.gzip) {
          res.setHeader('Content-Type', 'application/gzip');
          res.end(gz(hit.file));
          return;
        }
        res.setHeader('Content-Type', hit.url.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(hit.file).size));
        createReadStream(hit.file).pipe(res);
      });
    },
    writeBundle() {
      const required = missing.filter((m) => !m.url.startsWith('weights/'));
      if (required.length) throw new Error(`apps/web build: ${required.map((m) => m.file).join(', ')} missing (npm install)`);
      if (missing.length) {
        // A build without the weights still works for the digit pad; the photo part then reports the 404 in the page.
        this.warn(
          `ResNet50 weights not found in ${resnetWeightsDir()}: dist/ will not contain them and photo classification will fail. ` +
            'Fetch them (npm run fetch-weights -w @convzoo/weights -- resnet50) or set CONVZOO_WEIGHTS_DIR, then build again.',
        );
      }
      for (const f of files.filter((x) => !missing.includes(x))) {
        const to = join(outDir, f.url);
        mkdirSync(dirname(to), { recursive: true });
        if (f.gzip) writeFileSync(to, gz(f.file));
        else copyFileSync(f.file, to);
      }
    },
  };
}

export default defineConfig({
  // Relative URLs: dist/ works from any folder of any static server.
  base: './',
  plugins: [convzooAssets()],
  server: { headers: ISOLATION, host: '127.0.0.1' },
  preview: { headers: ISOLATION, host: '127.0.0.1' },
  // The app (its Train section runs a Web Worker, train-worker.ts) and two hidden self-checks: training (train-check.html) and
  // OnnxTrainingSession (onnx-session-check.html).
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, rollupOptions: { input: ['index.html', 'train-check.html', 'onnx-session-check.html'] } },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
});
