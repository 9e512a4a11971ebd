// Benchmark and reference dump for resnet50 keras-imagenet (a script, not a test). From packages/weights:
//   npx tsx --conditions=source scripts/resnet50-check.ts [--backends tfjs-cpu,onnx-cpu] [--runs 5] [--skip-batch] [--dump DIR] photo...
// Per backend: compile time, cold first prediction (batch 1, right after compile), warm per-image time (median of
// --runs predictions of one image, batch 1) and batch throughput (all photos in one batch). With --dump DIR it
// writes each photo's model input (<photo>.f32) and each backend's 1000 probabilities (<photo>.<backend>.f32), and
// compares with <photo>.f32.keras.f32 when scripts/keras_resnet50_reference.py has written it there.
// The adapters are workspace packages (resolved through the monorepo's node_modules); the published
// @convzoo/weights does not depend on them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { compile, listBackends, probeBackend, type Tensor } from '@convzoo/backend';
import { registerOnnxBackends } from '@convzoo/backend-onnx';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { decodePredictions, getPretrained } from '../src/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { backends: { type: 'string' }, runs: { type: 'string', default: '5' }, dump: { type: 'string' }, 'skip-batch': { type: 'boolean' } },
});
if (positionals.length === 0) throw new Error('name at least one photo');
const runs = Number(values.runs);
const entry = getPretrained('resnet50', 'keras-imagenet');

const ms = (t: number) => `${t.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let t = performance.now();
const { spec, weights } = await entry.load();
console.log(`weights: load + sha256 + import ${ms(performance.now() - t)}`);
t = performance.now();
const inputs: Tensor[] = [];
for (const p of positionals) inputs.push(await entry.transforms.fromFile(p));
console.log(`decode + resize + crop + caffe: ${ms((performance.now() - t) / positionals.length)} per image`);
if (values.dump) {
  mkdirSync(values.dump, { recursive: true });
  inputs.forEach((x, i) => writeFileSync(join(values.dump!, `${basename(positionals[i]!)}.f32`), new Uint8Array(x.data.buffer)));
}
const batch: Tensor = { shape: [inputs.length, ...inputs[0]!.shape.slice(1)], data: new Float32Array(inputs.length * inputs[0]!.data.length) };
inputs.forEach((x, i) => batch.data.set(x.data, i * x.data.length));

registerTfjsBackends();
registerOnnxBackends();
const wanted = values.backends?.split(',') ?? listBackends().map((b) => b.name);
console.log(
  `\n${'backend'.padEnd(12)} ${'compile'.padStart(9)} ${'cold/img'.padStart(9)} ${'warm/img'.padStart(9)} ${`batch ${inputs.length}/img`.padStart(12)}  top-1 per photo`,
);
for (const name of wanted) {
  const probe = await probeBackend(name);
  if (!probe.available) {
    console.log(`${name.padEnd(12)} unavailable: ${probe.reason?.split('\n')[0]}`);
    continue;
  }
  t = performance.now();
  const model = await compile(spec, { backend: name, weights });
  const tCompile = performance.now() - t;
  t = performance.now();
  const [first] = await model.predict(inputs[0]!);
  const cold = performance.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await model.predict(inputs[i % inputs.length]!);
    warm.push(performance.now() - t);
  }
  // --skip-batch (slow backends): one image at a time instead of one batch; the batch column then shows '-'.
  let probs: Tensor;
  let perImage = NaN;
  if (values['skip-batch']) {
    probs = { shape: [inputs.length, 1000], data: new Float32Array(inputs.length * 1000) };
    for (const [i, x] of inputs.entries()) probs.data.set(i === 0 ? first!.data : (await model.predict(x))[0]!.data, i * 1000);
  } else {
    t = performance.now();
    probs = (await model.predict(batch))[0]!;
    perImage = (performance.now() - t) / inputs.length;
  }
  model.dispose();
  const tops: string[] = [];
  inputs.forEach((_, i) => {
    const p = probs.data.slice(i * 1000, (i + 1) * 1000);
    const top = decodePredictions(p, entry.meta.labels, 5);
    tops.push(`${top[0]!.label} ${top[0]!.probability.toFixed(4)}`);
    if (values.dump) {
      const file = join(values.dump, basename(positionals[i]!));
      writeFileSync(`${file}.${name}.f32`, new Uint8Array(p.buffer));
      if (existsSync(`${file}.f32.keras.f32`)) {
        const k = new Float32Array(new Uint8Array(readFileSync(`${file}.f32.keras.f32`)).buffer);
        let worst = 0;
        for (let j = 0; j < 1000; j++) worst = Math.max(worst, Math.abs(k[j]! - p[j]!));
        const same = decodePredictions(k, entry.meta.labels, 5).every((q, j) => q.index === top[j]!.index);
        tops[i] += ` (vs Keras: top-5 ${same ? 'same' : 'DIFFERENT'}, max |dp| ${worst.toExponential(1)})`;
      }
    }
  });
  console.log(
    `${name.padEnd(12)} ${ms(tCompile).padStart(9)} ${ms(cold).padStart(9)} ${ms(median(warm)).padStart(9)} ${(Number.isNaN(perImage) ? '-' : ms(perImage)).padStart(12)}  ${tops.join('; ')}`,
  );
}
