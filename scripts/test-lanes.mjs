#!/usr/bin/env node
// Every package's tests in two lanes side by side, one package at a time in each, in the order listed (longest
// first, so a lane ends on short suites, not on one long file running alone). Balanced by their times in clean-clone
// CI 21 (2 cores, both lanes busy): web 373 s + installed-tests 52 + the seven small suites 57 = 482 s; backend-onnx
// 262 + backend-tfjs 121 + cli 100 = 483 s. Before (web, cli and installed-tests in one lane) the backends lane ended
// 136 s before the web lane, which then ran on 1.2 of the 2 cores. Lane 'web' holds every task that needs a build (web
// and installed-tests depend on ^build), so the two lanes never restore the same turbo outputs at once.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const lanes = {
  web: [
    '@convzoo/web',
    '@convzoo/installed-tests',
    '@convzoo/train',
    '@convzoo/models',
    '@convzoo/weights',
    '@convzoo/datasets',
    '@convzoo/backend',
    '@convzoo/io',
    '@convzoo/image',
  ],
  backends: ['@convzoo/backend-onnx', '@convzoo/backend-tfjs', 'convzoo'],
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

const secondsSince = (start) => `${((Date.now() - start) / 1000).toFixed(0)} s`;

/** One package's tests through turbo (which builds what they depend on first): whether they passed, and how it ended. */
const testPackage = (pkg) =>
  new Promise((resolve) => {
    const child = spawn('npx', ['turbo', 'run', 'test', `--filter=${pkg}`], { stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
    child.on('exit', (code, signal) => resolve({ passed: code === 0, outcome: code === 0 ? 'passed' : `FAILED (${signal ?? code})` }));
  });

/** The lane's packages one after another; a failure does not stop the others, so one run reports every failing package. */
async function run(name, packages) {
  const start = Date.now();
  const outcomes = [];
  let passed = true;
  for (const pkg of packages) {
    const t = Date.now();
    const result = await testPackage(pkg);
    passed &&= result.passed;
    outcomes.push(`${pkg} ${result.outcome} in ${secondsSince(t)}`);
  }
  console.log(`test lane '${name}': ${passed ? 'passed' : 'FAILED'} in ${secondsSince(start)} (${outcomes.join(', ')})`);
  return passed;
}

const results = await Promise.all(Object.entries(lanes).map(([name, packages]) => run(name, packages)));
process.exit(results.every(Boolean) ? 0 : 1);
