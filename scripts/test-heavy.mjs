#!/usr/bin/env node
// `npm run test:heavy`: the checks too heavy for `npm test` on 2 cores, each an opt-in test file run with the variable
// that turns it on (the files name it: `[opt-in: VAR]`). One at a time; a check that still skips fails the run.
//   node scripts/test-heavy.mjs [--only NAME,NAME] [--onnx-import DIR] [--list]
// DIR: made by `python3 packages/backend-onnx/fixtures/make_onnx_import_fixtures.py DIR PYTHON --full` (needs Python and
// torchvision, so it is the one check that asks for its input). The browser check builds the web app first if stale.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { only: { type: 'string' }, 'onnx-import': { type: 'string' }, list: { type: 'boolean' } } });
const importDir = values['onnx-import'];

/** name, workspace folder, test file, environment, what it holds and its time on 2 idle cores. */
const checks = [
  [
    'webgpu-deeper',
    'packages/backend-onnx',
    'test/conformance-webgpu-deeper.test.ts',
    { CONVZOO_WEBGPU_ALL: '1' },
    'every deeper and flavour repeat on onnx-webgpu (SwiftShader), ~4 min',
  ],
  [
    'webgpu-architectures',
    'packages/backend-onnx',
    'test/conformance-webgpu-architectures.test.ts',
    { CONVZOO_WEBGPU_ALL: '1' },
    'every architecture up to 7M parameters and one large net per family on onnx-webgpu (SwiftShader), ~1.5 min',
  ],
  [
    'training-steps-webgpu',
    'packages/backend-onnx',
    'test/training-steps-webgpu.test.ts',
    { CONVZOO_WEBGPU_ALL: '1' },
    "LeNet's ten Keras training steps on onnx-webgpu (SwiftShader), ~40 s",
  ],
  ['classify-webgpu', 'apps/cli', 'test/classify-parity.test.ts', { CONVZOO_WEBGPU_ALL: '1' }, 'ResNet50 photos on onnx-webgpu too, ~2 min'],
  [
    'training-architectures',
    'packages/backend-onnx',
    'test/training-architectures.test.ts',
    { CONVZOO_FULL_RUN: 'training' },
    'training conformance of every architecture, ~10 min',
  ],
  [
    'browser',
    'apps/web',
    'test/e2e.test.ts',
    { CONVZOO_FULL_RUN: 'browser' },
    'the web e2e with the resnet20 and tutorial AlexNet steps on WebGPU and the photo on tfjs-webgl and tfjs-webgpu, ~11 min',
  ],
  ['mnist-tfjs-cpu', 'packages/backend-tfjs', 'test/mnist.test.ts', { CONVZOO_MNIST_CPU: '1' }, 'LeNet on MNIST on tfjs-cpu, ~2 min'],
  ['tutorial', 'apps/cli', 'test/tutorial-accuracy.test.ts', { CONVZOO_FULL_RUN: '1' }, "the README's full-MNIST accuracy claims, ~15-20 min"],
  ...(importDir
    ? [
        [
          'onnx-import',
          'packages/backend-onnx',
          'test/onnx-import.test.ts',
          { CONVZOO_ONNX_IMPORT_FULL: importDir },
          'torchvision nets at full size, one SGD step',
        ],
        [
          'onnx-import-probe',
          'packages/backend-onnx',
          'test/onnx-import-probe.test.ts',
          { CONVZOO_ONNX_IMPORT_PROBE: importDir },
          "GoogLeNet's step probed inside the train graph",
        ],
      ]
    : []),
];

// Every test file with an `[opt-in: VAR]` marker must be a check here (the onnx-import pair needs --onnx-import DIR),
// so a new heavy file cannot be left out of this run unnoticed.
const listed = new Set([
  ...checks.map((c) => `${c[1]}/${c[2]}`),
  'packages/backend-onnx/test/onnx-import.test.ts',
  'packages/backend-onnx/test/onnx-import-probe.test.ts',
]);
const testFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name === 'node_modules' || e.name === 'dist'
      ? []
      : e.isDirectory()
        ? testFiles(join(dir, e.name))
        : e.name.endsWith('.test.ts')
          ? [join(dir, e.name)]
          : [],
  );
const unlisted = ['packages', 'apps', 'tests'].flatMap(testFiles).filter((f) => readFileSync(f, 'utf8').includes('[opt-in: ') && !listed.has(f));
if (unlisted.length) {
  console.error(`scripts/test-heavy.mjs: opt-in test files that are no check here: ${unlisted.join(', ')}`);
  process.exit(1);
}

if (values.list) {
  for (const [name, dir, file, env, what] of checks)
    console.log(
      `${name.padEnd(24)} ${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')} ${dir}/${file}: ${what}`,
    );
  if (!importDir) console.log('(onnx-import, onnx-import-probe: need --onnx-import DIR)');
  process.exit(0);
}
const only = values.only?.split(',');
for (const name of only ?? [])
  if (!checks.some((c) => c[0] === name)) {
    console.error(`scripts/test-heavy.mjs --only: no heavy check '${name}' (--list names them)`);
    process.exit(1);
  }
if (!importDir) console.log('test:heavy: onnx-import and onnx-import-probe not run (they need --onnx-import DIR, see the header of this script)');

const run = (dir, file, env) =>
  new Promise((done) => {
    if (dir === 'apps/web' && spawnSync('node', ['scripts/build-if-stale.mjs'], { cwd: dir, stdio: 'inherit' }).status !== 0) return done({ code: 1 });
    let out = '';
    const child = spawn('npx', ['vitest', 'run', file], { cwd: dir, env: { ...process.env, ...env } });
    for (const s of [child.stdout, child.stderr])
      s.on('data', (d) => {
        out += d;
        process.stdout.write(d);
      });
    child.on('exit', (code) => done({ code, skipped: /skipped \(opt-in\)|^skipped: /m.test(out) }));
  });

const results = [];
for (const [name, dir, file, env] of checks.filter((c) => !only || only.includes(c[0]))) {
  const start = Date.now();
  const { code, skipped } = await run(dir, file, env);
  const verdict = code !== 0 ? `FAILED (exit ${code})` : skipped ? 'FAILED (a test skipped)' : 'passed';
  results.push(`${name}: ${verdict} in ${((Date.now() - start) / 1000).toFixed(0)} s`);
}
console.log(`\ntest:heavy\n${results.join('\n')}`);
process.exit(results.every((r) => r.includes(': passed')) ? 0 : 1);
