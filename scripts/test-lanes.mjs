#!/usr/bin/env node
// Every package's tests in two lanes side by side, one package at a time in each, balanced by their measured times
// on 2 cores (lane 'web': web ~6.5-8.5 min + cli ~2.5 + installed-tests ~0.5; lane 'backends': backend-onnx ~7.5-8 +
// backend-tfjs ~2.2 + the seven small suites ~1). With one `turbo run test --concurrency=2` turbo picked the pairs: clean-clone
// CIs of the same code took 11 min 37 s and 13 min 16 s (web starting after backend-onnx had half finished); in lanes
// 11 min 49 s, the lanes 34 s apart. Turbo still orders the packages within a lane. Lane 'web' holds every task that
// needs a build (web and installed-tests depend on ^build), so the two turbo runs never restore the same outputs at once.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const lanes = {
  web: ['@convzoo/web', 'convzoo', '@convzoo/installed-tests'],
  backends: [
    '@convzoo/backend-onnx',
    '@convzoo/backend-tfjs',
    '@convzoo/backend',
    '@convzoo/datasets',
    '@convzoo/image',
    '@convzoo/io',
    '@convzoo/models',
    '@convzoo/train',
    '@convzoo/weights',
  ],
};

// A workspace with tests that no lane names would never be tested: refuse.
const laned = new Set(Object.values(lanes).flat());
for (const dir of ['packages', 'apps', 'tests'])
  for (const d of readdirSync(dir)) {
    const file = `${dir}/${d}/package.json`;
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (pkg.scripts?.test && !laned.has(pkg.name)) {
      console.error(`scripts/test-lanes.mjs: ${file} (${pkg.name}) has tests but no lane: add it to one`);
      process.exit(1);
    }
  }

const run = (name, packages) =>
  new Promise((resolve) => {
    const start = Date.now();
    const args = ['turbo', 'run', 'test', '--concurrency=1', ...packages.map((p) => `--filter=${p}`)];
    const child = spawn('npx', args, { stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
    child.on('exit', (code, signal) => {
      console.log(
        `test lane '${name}' (${packages.join(', ')}): ${code === 0 ? 'passed' : `FAILED (${signal ?? code})`} in ${((Date.now() - start) / 1000).toFixed(0)} s`,
      );
      resolve(code === 0);
    });
  });

const results = await Promise.all(Object.entries(lanes).map(([name, packages]) => run(name, packages)));
process.exit(results.every(Boolean) ? 0 : 1);
