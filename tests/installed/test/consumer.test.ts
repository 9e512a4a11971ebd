// The packed packages in a fresh project outside the repo, used as a user would: ESM and CJS imports, both engines
// through the registry, an exported ONNX file in a bare ONNX Runtime session, the installed `npx convzoo`, and every
// README example. Slow parts (pack + install ~15 s, examples) run once.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliLines, readmeExamples, toModule } from './readme-examples.js';
import { ORT_RUNTIMES, PUBLISHED, REPO, convzoo, createProject, installedCopies, node, ortPeerRanges, runModule, type Project } from './project.js';

let project: Project;
beforeAll(() => {
  project = createProject();
});

const names = PUBLISHED.map((w) => JSON.parse(readFileSync(join(REPO, w, 'package.json'), 'utf8')).name as string);
const libraries = names.filter((n) => n !== 'convzoo');

describe('tarballs', () => {
  it('hold dist, README, LICENSE and package.json only (no src/, no source maps)', () => {
    for (const tgz of project.tarballs) {
      const files = node(project, [
        '-e',
        `
        const zlib = require('node:zlib'); const buf = zlib.gunzipSync(require('node:fs').readFileSync(${JSON.stringify(tgz)}));
        const names = []; for (let o = 0; o + 512 <= buf.length;) { const name = buf.subarray(o, o + 100).toString().replace(/\\0.*$/s, '');
          if (!name) break; const size = parseInt(buf.subarray(o + 124, o + 136).toString().trim() || '0', 8); names.push(name); o += 512 + Math.ceil(size / 512) * 512; }
        console.log(names.join('\\n'));`,
      ])
        .out.trim()
        .split('\n');
      expect(files, tgz).toContain('package/LICENSE');
      expect(files, tgz).toContain('package/README.md');
      expect(files, tgz).toContain('package/package.json');
      const stray = files.filter((f) => !/^package\/(dist\/|bin\/|LICENSE$|README\.md$|package\.json$)/.test(f) || f.endsWith('.map'));
      expect(stray, tgz).toEqual([]);
    }
  });
});

describe('imports', () => {
  it.each(libraries)('%s from ESM and from CJS, with the same exports', (name) => {
    const esm = node(project, ['--input-type=module', '-e', `const m = await import('${name}'); console.log(JSON.stringify(Object.keys(m).sort()))`]);
    expect(esm.err).toBe('');
    const cjs = node(project, ['-e', `console.log(JSON.stringify(Object.keys(require('${name}')).filter((k) => k !== 'default').sort()))`]);
    expect(cjs.err).toBe('');
    const keys = JSON.parse(esm.out) as string[];
    expect(keys.length).toBeGreaterThan(1);
    expect(JSON.parse(cjs.out)).toEqual(keys.filter((k) => k !== 'default'));
  });
});

describe("ONNX Runtime: the user's own install beside the CLI's", () => {
  // The fresh project ran `npm install <tarballs> onnxruntime-node@RANGE onnxruntime-web@RANGE` (project.ts): the
  // CLI depends on the runtimes with backend-onnx's peer range, so npm keeps one copy of each (two copies of
  // onnxruntime-node + -web were 1.1 GB when the CLI pinned 1.30.0 exactly and the user got 1.31.1).
  const ranges = ortPeerRanges();
  it("backend-onnx's README states the peer range, and the CLI depends on the same range", () => {
    const readme = readFileSync(join(REPO, 'packages/backend-onnx/README.md'), 'utf8');
    const cli = JSON.parse(readFileSync(join(REPO, 'apps/cli/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of ORT_RUNTIMES) {
      expect(readme).toContain(`The peer range is \`${ranges[name]}\``);
      expect(readme).toMatch(new RegExp(`^npm i @convzoo/backend-onnx .*\\b${name}\\b`, 'm'));
      expect(cli.dependencies[name], `apps/cli's ${name}`).toBe(ranges[name]);
    }
  });

  it.each([...ORT_RUNTIMES, 'onnxruntime-common'])('one copy of %s in node_modules, at the top', (name) => {
    const copies = installedCopies(project, name);
    expect(copies.map((c) => c.dir)).toEqual([join(project.dir, 'node_modules', name)]);
  });

  it('npm ls finds every dependency and peer valid, and backend-onnx and the CLI load that one copy', () => {
    const ls = spawnSync('npm', ['ls', '--all', '--json', ...ORT_RUNTIMES], { cwd: project.dir, encoding: 'utf8' });
    expect(ls.status, ls.stdout + ls.stderr).toBe(0);
    const [nodeCopy] = installedCopies(project, 'onnxruntime-node');
    const [webCopy] = installedCopies(project, 'onnxruntime-web');
    expect(nodeCopy!.version).toBe(webCopy!.version);
    const r = runModule(
      project,
      'ort-versions.mjs',
      `
      import { BackendRegistry } from '@convzoo/backend';
      import { registerOnnxBackends } from '@convzoo/backend-onnx';
      const registry = new BackendRegistry(); registerOnnxBackends(registry);
      for (const name of ['onnx-cpu', 'onnx-wasm']) console.log((await registry.probe(name)).details);`,
    );
    expect(r.err).toBe('');
    expect(r.out).toContain(`onnxruntime-node ${nodeCopy!.version}, EP cpu`);
    expect(r.out).toContain(`onnxruntime-web ${webCopy!.version}, EP wasm`);
    const doctor = convzoo(project, ['doctor']);
    expect(doctor.out).toContain(`onnxruntime-node ${nodeCopy!.version}`);
  });
});

describe('onnx-cuda from both builds', () => {
  const probe = `const registry = new BackendRegistry(); registerOnnxBackends(registry);
    const p = await registry.probe('onnx-cuda'); console.log(JSON.stringify(p));`;
  it.each([
    [
      'ESM',
      [
        '--input-type=module',
        '-e',
        `import { BackendRegistry } from '@convzoo/backend'; import { registerOnnxBackends } from '@convzoo/backend-onnx'; ${probe}`,
      ],
    ],
    [
      'CJS',
      [
        '-e',
        `const { BackendRegistry } = require('@convzoo/backend'); const { registerOnnxBackends } = require('@convzoo/backend-onnx'); (async () => { ${probe} })()`,
      ],
    ],
  ])('%s: the probe names the missing provider files and the rebuild command', (_format, args) => {
    const r = node(project, args);
    expect(r.err).toBe('');
    const p = JSON.parse(r.out) as { available: boolean; reason: string };
    expect(p.available).toBe(false);
    expect(p.reason).toMatch(/libonnxruntime_providers_cuda\.so not found in .*npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12/);
  });
});

describe('engines through the registry', () => {
  it('lenet and resnet18 give the same outputs on onnx-cpu and tfjs-wasm; the exported ONNX file agrees in a bare session', () => {
    const r = runModule(
      project,
      'engines.mjs',
      `
      import { compile, initWeights } from '@convzoo/backend';
      import { registerTfjsBackends } from '@convzoo/backend-tfjs';
      import { registerOnnxBackends, toOnnx } from '@convzoo/backend-onnx';
      import { getModel } from '@convzoo/models';
      import * as ort from 'onnxruntime-node';
      registerTfjsBackends(); registerOnnxBackends();
      const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
      for (const [name, options] of [['lenet', {}], ['resnet18', { inputShape: [64, 64, 3], classes: 10 }]]) {
        const spec = getModel(name, options);
        const weights = initWeights(spec, 7);
        const shape = [2, ...spec.layers[0].shape];
        const data = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.37));
        const outs = {};
        for (const backend of ['onnx-cpu', 'tfjs-wasm']) {
          const model = await compile(spec, { backend, weights });
          outs[backend] = (await model.predict({ shape, data }))[0].data;
          model.dispose();
        }
        const session = await ort.InferenceSession.create(toOnnx(spec, weights));
        const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, shape) };
        const bare = (await session.run(feeds))[session.outputNames[0]].data;
        console.log(JSON.stringify({ name, engines: maxDiff(outs['onnx-cpu'], outs['tfjs-wasm']), bare: maxDiff(outs['onnx-cpu'], bare) }));
      }`,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rows = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; engines: number; bare: number });
    expect(rows.map((x) => x.name)).toEqual(['lenet', 'resnet18']);
    for (const row of rows) {
      expect(row.engines, row.name).toBeLessThan(1e-4);
      expect(row.bare, row.name).toBeLessThan(1e-6);
    }
  });
});

describe('the installed CLI (npx convzoo)', () => {
  it('--help and list', () => {
    const help = convzoo(project, ['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Usage: convzoo <command>/);
    const list = convzoo(project, ['list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^lenet\s+28x28x1/m);
  });

  it("doctor names onnx-cuda's missing provider files and the rebuild command, with nothing on stderr", () => {
    const r = convzoo(project, ['doctor']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(
      /✗ onnx-cuda\s+unavailable[^\n]*\n\s+libonnxruntime_providers_shared\.so, libonnxruntime_providers_cuda\.so not found in \S+node_modules\/onnxruntime-node\/bin\/napi-v6\/linux\/x64.*npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12/,
    );
    expect(r.out).not.toContain('req.resolve');
  });

  it('runs the CLI README example line by line (summary, doctor, train, eval on onnx-cpu, export)', () => {
    const [example] = readmeExamples(REPO, ['apps/cli']);
    const outputs = cliLines(example!.code).map((args) => {
      const r = convzoo(project, args);
      expect(r.code, `npx convzoo ${args.join(' ')}\n${r.err}`).toBe(0);
      return r.out;
    });
    expect(outputs.join('\n')).toContain(example!.expects);
    expect(outputs[0]).toContain('Total params: 431,080');
    expect(outputs.at(-2)).toMatch(/backend 'onnx-cpu'|onnx-cpu/);
    expect(node(project, ['-e', "console.log(require('node:fs').statSync('lenet.onnx').size)"]).out.trim()).toMatch(/^\d{6,}$/);
  });
});

describe('README examples of every library, against the packed packages', () => {
  const examples = readmeExamples(REPO, PUBLISHED).filter((e) => e.lang === 'ts');
  it('every published library has one', () => {
    expect(new Set(examples.map((e) => e.readme.replace(/\/README\.md$/, '')))).toEqual(new Set(PUBLISHED.filter((w) => w !== 'apps/cli')));
  });
  it.each(examples.map((e) => [e.readme, e] as const))('%s', (_readme, example) => {
    const r = runModule(project, `example-${example.readme.split('/')[1]}.mjs`, toModule(example.code));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(example.expects);
  });
  it("the root README's API example (LeNet on onnx-cpu, 2,048 MNIST images)", () => {
    const [example, ...more] = readmeExamples(REPO, ['.']);
    expect(more, 'one example in the root README').toHaveLength(0);
    const r = runModule(project, 'example-root.mjs', toModule(example!.code));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(example!.expects);
    // One epoch of 2,048 images reaches far above chance; the last line is the test accuracy.
    expect(Number(r.out.trim().split('\n').at(-1))).toBeGreaterThan(0.5);
  });
});
