import { copyFileSync, createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getPretrainedEntry } from '@convzoo/weights/browser';
import { defineConfig, type Plugin } from 'vite';
import { assetFiles, resnetWeightsDir } from './scripts/assets.js';

// Cross-origin isolation (SharedArrayBuffer) lets onnxruntime-web and tfjs-wasm use threads; without it both run
// single-threaded.
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const weightFiles = Object.keys(getPretrainedEntry('resnet50', 'keras-imagenet').source.files);

function convzooAssets(): Plugin {
  const files = assetFiles(weightFiles);
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
        res.setHeader('Content-Type', hit.url.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(hit.file).size));
        createReadStream(hit.file).pipe(res);
      });
    },
    writeBundle() {
      if (missing.length) {
        const weights = missing.some((m) => m.url.startsWith('weights/'));
        throw new Error(
          `apps/web build: ${missing.length} file(s) missing, e.g. ${missing[0]!.file}` +
            (weights ? `; fetch the ResNet50 weights first: npm run fetch-weights -w @convzoo/weights -- resnet50 (or set CONVZOO_WEIGHTS_DIR; now ${resnetWeightsDir()})` : ''),
        );
      }
      for (const f of files) {
        const to = join(outDir, f.url);
        mkdirSync(dirname(to), { recursive: true });
        copyFileSync(f.file, to);
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
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
});
