// LeNet training throughput on tfjs-cpu and tfjs-wasm (batch 128 by default): the convzoo compile path, the same
// step written directly in tfjs ops with the replacement kernels and with tfjs' stock kernels, an optional
// per-kernel profile, and Keras measured in the same run as the peer. Not a test: timings on a shared machine.
//
//   npx tsx --conditions=source scripts/bench-train.ts [--backends wasm,cpu] [--batch-size 128] [--steps 10]
//       [--no-stock] [--profile] [--keras $PYTHON]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { compile, isTrainable } from '@convzoo/backend';
import { getModel } from '@convzoo/models';
import { registerTfjsBackends } from '../src/index.js';
import { installKernels } from '../src/kernels/index.js';
import { lenetDirect } from './lenet-direct.js';

const EPOCH = 60_000;
const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu' },
    'batch-size': { type: 'string', default: '128' },
    steps: { type: 'string', default: '10' },
    'no-stock': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    keras: { type: 'string' },
  },
});
const backends = values.backends.split(',').map((b) => b.trim().replace(/^tfjs-/, ''));
const batch = Number(values['batch-size']);
const steps = Number(values.steps);

/** tfjs-cpu takes seconds per step: fewer of them. */
const stepsOn = (backend: string) => (backend === 'cpu' ? Math.min(steps, 3) : steps);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median wall and process-CPU milliseconds per step (CPU time is steadier on a shared machine). */
async function timeSteps(n: number, warmup: number, step: () => unknown): Promise<{ ms: number; cpuMs: number }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < warmup + n; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await step();
    const used = process.cpuUsage(c);
    if (i >= warmup) {
      wall.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  return { ms: median(wall), cpuMs: median(cpu) };
}

function randomBatch() {
  const x = Float32Array.from({ length: batch * 784 }, () => Math.random());
  const y = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) y[i * 10 + Math.floor(Math.random() * 10)] = 1;
  return { x, y };
}

interface Row {
  backend: string;
  path: string;
  ms?: number;
  cpuMs?: number;
  note?: string;
}
const rows: Row[] = [];

async function direct(backend: string, path: string, n: number, warmup: number): Promise<void> {
  await tf.setBackend(backend);
  const { x, y } = randomBatch();
  const xt = tf.tensor4d(x, [batch, 28, 28, 1]);
  const yt = tf.tensor2d(y, [batch, 10]);
  const net = lenetDirect(tf);
  try {
    rows.push({ backend, path, ...(await timeSteps(n, warmup, () => net.step(xt, yt))) });
  } catch (e) {
    rows.push({ backend, path, note: `fails: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}` });
  } finally {
    net.dispose();
    tf.dispose([xt, yt]);
  }
}

/**
 * Per-kernel CPU time (process.cpuUsage, steadier than wall time on a shared machine) over a few steps: every kernel
 * of the backend is wrapped in a timer. Kernels called from inside replacements count in the replacement.
 */
async function profile(backend: string, n = 5): Promise<void> {
  await tf.setBackend(backend);
  const spent = new Map<string, number>();
  let depth = 0;
  const originals = tf.getKernelsForBackend(backend);
  for (const k of originals) {
    tf.unregisterKernel(k.kernelName, backend);
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        if (depth++ > 0) return k.kernelFunc(args);
        const t = process.cpuUsage();
        try {
          return k.kernelFunc(args);
        } finally {
          const d = process.cpuUsage(t);
          spent.set(k.kernelName, (spent.get(k.kernelName) ?? 0) + (d.user + d.system) / 1000);
          depth = 0;
        }
      },
    });
  }
  const { x, y } = randomBatch();
  const xt = tf.tensor4d(x, [batch, 28, 28, 1]);
  const yt = tf.tensor2d(y, [batch, 10]);
  const net = lenetDirect(tf);
  net.step(xt, yt);
  spent.clear();
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) net.step(xt, yt);
  const all = process.cpuUsage(t0);
  const total = (all.user + all.system) / 1000 / n;
  console.log(`\nprofile on ${backend}: CPU ms per step (mean of ${n}), step total ${total.toFixed(1)} ms:`);
  for (const [name, ms] of [...spent].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
    console.log(`  ${name.padEnd(24)} ${(ms / n).toFixed(1).padStart(8)} ms  ${((100 * ms) / n / total).toFixed(0).padStart(3)}%`);
  }
  net.dispose();
  tf.dispose([xt, yt]);
  for (const k of originals) {
    tf.unregisterKernel(k.kernelName, backend);
    tf.registerKernel(k);
  }
}

async function convzoo(backend: string): Promise<void> {
  registerTfjsBackends({ only: ['tfjs-cpu', 'tfjs-wasm'] });
  const model = await compile(getModel('lenet'), {
    backend: `tfjs-${backend}`,
    seed: 1,
    training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } },
  });
  if (!isTrainable(model)) throw new Error(`tfjs-${backend} compiled a model without trainStep`);
  const { x, y } = randomBatch();
  const xs = { shape: [batch, 28, 28, 1], data: x };
  const ys = { shape: [batch, 10], data: y };
  rows.push({ backend, path: 'convzoo compile', ...(await timeSteps(stepsOn(backend), 2, () => model.trainStep(xs, ys))) });
  model.dispose();
}

function keras(python: string): number | undefined {
  const script = fileURLToPath(new URL('./keras_lenet_step.py', import.meta.url));
  try {
    const out = execFileSync(python, [script, String(batch), String(Math.max(steps, 10)), '3'], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { msPerStep: number; cpuMsPerStep: number; peer: string };
    rows.push({ backend: 'keras', path: r.peer, ms: r.msPerStep, cpuMs: r.cpuMsPerStep });
    return r.msPerStep;
  } catch (e) {
    console.error(`keras peer failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

// Stock kernels first: installing the replacements is process-wide.
if (!values['no-stock']) {
  for (const b of backends) await direct(b, 'direct ops, stock tfjs kernels', b === 'cpu' ? 1 : steps, b === 'cpu' ? 0 : 1);
}
for (const b of backends) {
  await tf.setBackend(b);
  installKernels(tf, b);
  await direct(b, 'direct ops, convzoo kernels', stepsOn(b), 2);
  await convzoo(b);
  if (values.profile) await profile(b);
}
const peerMs = values.keras ? keras(values.keras) : undefined;

console.log(`\nLeNet training, batch ${batch}, median of ${steps} steps after warm-up (tfjs-cpu: 3; stock cpu: 1)`);
console.log('backend  path                              ms/step   samples/s   s/epoch (60k)   CPU ms/step' + (peerMs ? '   x keras' : ''));
for (const r of rows) {
  const head = `${r.backend.padEnd(8)} ${r.path.padEnd(32)}`;
  if (r.ms === undefined) {
    console.log(`${head}  ${r.note}`);
    continue;
  }
  const sps = (batch * 1000) / r.ms;
  const ratio = peerMs ? `   ${(r.ms / peerMs).toFixed(2).padStart(7)}` : '';
  console.log(
    `${head} ${r.ms.toFixed(1).padStart(8)} ${sps.toFixed(0).padStart(11)} ${(EPOCH / sps).toFixed(1).padStart(15)} ${(r.cpuMs ?? NaN).toFixed(1).padStart(13)}${ratio}`,
  );
}
console.log('(x keras: wall-time ratio, same run. CPU ms/step sums all threads: Keras uses several, tfjs one.)');
