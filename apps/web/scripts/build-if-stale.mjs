#!/usr/bin/env node
// Before the browser tests: `vite build` unless dist/ is newer than everything it is built from. In `npm test` turbo
// has just built (or restored) dist/ for the lint phase, and building again cost ~30 s of both cores; run directly
// (`npm test -w @convzoo/web`) after an edit, the app is rebuilt as before. Plain JS: runs before any build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const app = resolve(import.meta.dirname, '..');
const built = join(app, 'dist', 'index.html');

/** The newest file under `path` (a file or a folder), skipping node_modules. */
function newest(path, best = { file: '', mtime: 0 }) {
  if (!existsSync(path)) return best;
  const s = statSync(path);
  if (s.isDirectory()) {
    for (const d of readdirSync(path)) if (d !== 'node_modules') newest(join(path, d), best);
  } else if (s.mtimeMs > best.mtime) {
    best.file = path;
    best.mtime = s.mtimeMs;
  }
  return best;
}

// The app's own inputs and the built workspace packages it bundles (their dist, as installed).
const inputs = ['src', 'public', 'scripts', 'index.html', 'train-check.html', 'onnx-session-check.html', 'vite.config.ts', 'package.json'].map((p) =>
  join(app, p),
);
const packages = join(app, '..', '..', 'packages');
for (const p of readdirSync(packages)) inputs.push(join(packages, p, 'dist'));

const source = inputs.reduce((best, p) => newest(p, best), { file: '', mtime: 0 });
const stale = !existsSync(built) ? 'no dist/index.html' : statSync(built).mtimeMs < source.mtime ? `${source.file} is newer than dist/` : undefined;
if (stale === undefined) {
  console.log('apps/web: dist/ is newer than its sources and the packages it bundles: not rebuilt');
} else {
  console.log(`apps/web: building (${stale})`);
  const r = spawnSync('npx', ['vite', 'build'], { cwd: app, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
