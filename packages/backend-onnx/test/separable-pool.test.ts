// onnx-cpu's training graphs take overlapping max pools' gradient one axis at a time (src/layers/separable-pool.ts),
// without MaxPool's Indices. The reference is ONNX Runtime's own arg-max: the same graph with every pool's gradient
// scattered through MaxPool's Indices (poolIndices 'scatter', the CUDA EP's form), whose first maximal cell in
// row-major order is TensorFlow's choice on ties. The inputs are built so that ties decide: channel 0 takes five
// values (most windows hold several equal maxima), the conv reads only it at first (channel 1's weights are 0), and
// channel 1's weights then get their gradient from wherever the pool sent dy, so a tie sent to another tied cell,
// or to all of them, changes them.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { resolveLosses, resolveOptimizer } from '@convzoo/backend';
import { compileSpec, SpecBuilder, type WindowPads } from '@convzoo/models';
import type { PoolIndices } from '../src/layers/emitter.js';
import { decodeModel } from '../src/proto/onnx.js';
import { trainGraphOptions } from '../src/runtime/backends.js';
import { IO } from '../src/train/io.js';
import { buildTrainGraph, planGraph } from '../src/train/train-graph.js';

type Geometry = { poolSize: number | [number, number]; strides: number | [number, number]; padding: 'same' | 'valid' | WindowPads };
type Case = Geometry & { h: number; w: number; filters: number; batch: number };

function spec(g: Case) {
  const b = new SpecBuilder('pool');
  const x = b.input([g.h, g.w, 2]);
  const conv = b.conv2d(x, { filters: g.filters, kernelSize: 1, useBias: false, name: 'mix' });
  const pool = b.maxPool2d(conv, { poolSize: g.poolSize, strides: g.strides, padding: g.padding, name: 'pool' });
  return b.build(b.dense(b.flatten(pool), { units: 4, activation: 'softmax', name: 'head' }));
}

/** NHWC: channel 0 in {0, 0.25, ..., 1} (ties), channel 1 distinct per cell. */
function inputs({ h, w, batch }: Case): Float32Array {
  const x = new Float32Array(batch * 2 * h * w);
  let s = 7;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < batch * h * w; i++) {
    x[i * 2] = Math.floor(rnd() * 5) / 4;
    x[i * 2 + 1] = rnd();
  }
  return x;
}

async function step(g: Case, poolIndices: PoolIndices) {
  const s = spec(g);
  const compiled = compileSpec(s);
  const optimizer = resolveOptimizer({ kind: 'sgd' });
  const losses = resolveLosses(s, { loss: 'categoricalCrossentropy', optimizer: { kind: 'sgd' } });
  const plan = planGraph(compiled, optimizer);
  const bytes = buildTrainGraph(compiled, plan, { mode: 'train', losses, optimizer, ...trainGraphOptions('cpu'), poolIndices });
  const ops = (decodeModel(bytes).graph?.node ?? []).filter((n) => n.name?.startsWith('pool/')).map((n) => n.op_type);
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = { [s.layers[0]!.name]: new ort.Tensor('float32', inputs(g), [g.batch, g.h, g.w, 2]) };
  const target = new Float32Array(g.batch * 4);
  for (let i = 0; i < g.batch; i++) target[i * 4 + (i % 4)] = 1;
  feeds[IO.target(0)] = new ort.Tensor('float32', target, [g.batch, 4]);
  feeds[IO.invBatch] = new ort.Tensor('float32', Float32Array.of(1 / g.batch), []);
  feeds[IO.lr] = new ort.Tensor('float32', Float32Array.of(1), []);
  for (const p of plan.params) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    // mix/kernel OIHW [filters, 2, 1, 1]: channel 0 weighted 1, 1.01, 1.02, ...; channel 1
    // weighted 0. head/kernel: a fixed spread, small enough that the softmax is not saturated.
    const data = Float32Array.from({ length: size }, (_, i) =>
      p.name === 'mix/kernel' ? (i % 2 === 0 ? 1 + 0.01 * i : 0) : p.name === 'head/kernel' ? (Math.sin(i * 0.7) * 0.3) / Math.sqrt(p.shape[0]!) : 0,
    );
    feeds[IO.param(p.name)] = new ort.Tensor('float32', data, p.shape);
  }
  const out = await session.run(feeds);
  await session.release();
  return { ops, kernel: out[IO.newParam('mix/kernel')]!.data as Float32Array };
}

/** Windows of channel 0 whose maximum is held by two cells or more (the ties the test rests on). */
function tiedWindows(g: Case): number {
  const [kh, kw] = typeof g.poolSize === 'number' ? [g.poolSize, g.poolSize] : g.poolSize;
  const [sh, sw] = typeof g.strides === 'number' ? [g.strides, g.strides] : g.strides;
  const compiled = compileSpec(spec(g));
  const pads = compiled.layers.find((l) => l.layer.name === 'pool')!.pads!;
  const [ho, wo] = compiled.shapes.get('pool')! as [number, number, number];
  const { h: H, w: W } = g;
  const x = inputs(g);
  let tied = 0;
  for (let n = 0; n < g.batch; n++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++) {
        const cells: number[] = [];
        for (let a = 0; a < kh; a++)
          for (let b = 0; b < kw; b++) {
            const r = i * sh + a - pads.top;
            const c = j * sw + b - pads.left;
            if (r >= 0 && r < H && c >= 0 && c < W) cells.push(x[((n * H + r) * W + c) * 2]!);
          }
        const max = Math.max(...cells);
        if (cells.filter((v) => v === max).length > 1) tied++;
      }
  return tied;
}

// Strided pools take this form on large maps only (separablePoolPays): 96x96x64 is 589,824 cells a sample.
const small = { h: 11, w: 10, filters: 3, batch: 3 };
const large = { h: 96, w: 96, filters: 64, batch: 1 };
const geometries: [string, Case][] = [
  ['3x3/1 same (an inception branch)', { ...small, poolSize: 3, strides: 1, padding: 'same' }],
  ['3x2/1, pads top/right only', { ...small, poolSize: [3, 2], strides: 1, padding: { top: 2, bottom: 0, left: 0, right: 1 } }],
  ["3x3/2 valid on a large map (GoogLeNet's stem)", { ...large, poolSize: 3, strides: 2, padding: 'valid' }],
  ['3x3/2 same on a large map, uneven pads', { ...large, h: 95, poolSize: 3, strides: 2, padding: 'same' }],
  ['3x3/2, pads bottom/right only (a ceil-mode pool)', { ...large, poolSize: 3, strides: 2, padding: { top: 0, bottom: 1, left: 0, right: 1 } }],
  ['3x2 kernel, strides 2x1, explicit pads', { ...large, poolSize: [3, 2], strides: [2, 1], padding: { top: 1, bottom: 0, left: 0, right: 1 } }],
  ['5x5/3 valid', { ...large, poolSize: 5, strides: 3, padding: 'valid' }],
];

describe('onnx-cpu max-pool gradient for overlapping windows, one axis at a time', () => {
  it.each(geometries)('%s: as MaxPool Indices + ScatterElements route it, ties included', async (_, g) => {
    expect(tiedWindows(g), 'windows with tied maxima').toBeGreaterThan(5);
    const separable = await step(g, 'unpool');
    const scattered = await step(g, 'scatter');
    expect(separable.ops).not.toContain('ScatterElements');
    expect(separable.ops.filter((o) => o === 'MaxPool')).toEqual(['MaxPool', 'MaxPool']); // forward, and the row maxima
    expect(scattered.ops).toContain('ScatterElements');
    // Summation order differs (ScatterElements adds in output order): 1e-6 of the kernel's scale.
    const scale = Math.max(...Array.from(scattered.kernel, Math.abs));
    const diff = Math.max(...Array.from(separable.kernel, (v, i) => Math.abs(v - scattered.kernel[i]!)));
    expect(diff, `kernel ${Array.from(separable.kernel)} vs ${Array.from(scattered.kernel)}`).toBeLessThan(1e-6 * scale);
    // The ties move channel 1's weights: a gradient sent to another tied cell would move them differently.
    expect(Math.abs(scattered.kernel[1]!)).toBeGreaterThan(0);
  });

  it('a strided pool on a small map keeps MaxPool Indices + ScatterElements (cheaper there)', async () => {
    const { ops } = await step({ ...small, poolSize: 3, strides: 2, padding: 'valid' }, 'unpool');
    expect(ops).toContain('ScatterElements');
    expect(ops.filter((o) => o === 'MaxPool')).toEqual(['MaxPool']);
  });
});
