// The feeds of one training step of a train graph built by buildTrainGraph: random inputs, one-hot targets, the
// initial weights and zero optimizer slots. Shared by the timing scripts (profile-train.ts, ab-session.ts).
import * as ort from 'onnxruntime-node';
import { compileSpec, type ModelSpec } from '@convzoo/models';
import { initWeights, resolveLosses, resolveOptimizer } from '@convzoo/backend';
import type { PoolIndices } from '../src/layers/emitter.js';
import { buildTrainGraph, maskShape, planGraph, type GraphParam } from '../src/train/train-graph.js';
import { statePieces } from '../src/train/state-pieces.js';
import { IO } from '../src/train/io.js';

/** The training graph of `spec` (cross-entropy, `optimizer`), as onnx-cpu builds it unless the options say otherwise. */
export function trainGraph(
  spec: ModelSpec,
  optimizerKind: 'adam' | 'sgd',
  graph: {
    poolIndices: PoolIndices | false;
    dw3d: boolean;
    dwUnfold?: boolean;
    col2im: boolean;
    batchNormCentred?: boolean;
    nchwcBlock?: number;
    stateChunk?: number;
  },
): { plan: ReturnType<typeof planGraph>; bytes: Uint8Array } {
  const training = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: optimizerKind } };
  const optimizer = resolveOptimizer(training.optimizer);
  const compiled = compileSpec(spec);
  const plan = planGraph(compiled, optimizer, graph.stateChunk ?? 0);
  const bytes = buildTrainGraph(compiled, plan, { mode: 'train', losses: resolveLosses(spec, training), optimizer, ...graph });
  return { plan, bytes };
}

export function trainFeeds(spec: ModelSpec, plan: ReturnType<typeof planGraph>, batch: number, classes = 10): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  const input = spec.layers[0]! as { shape: number[]; name: string };
  const size = batch * input.shape.reduce((a, b) => a * b, 1);
  feeds[input.name] = new ort.Tensor(
    'float32',
    Float32Array.from({ length: size }, () => Math.random()),
    [batch, ...input.shape],
  );
  const t = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++) t[i * classes + (i % classes)] = 1;
  for (const [o] of spec.outputs.entries()) feeds[IO.target(o)] = new ort.Tensor('float32', t, [batch, classes]);
  // Dropout keeps everything (the masks' values do not change the work).
  for (const d of plan.dropouts) {
    const nchw = maskShape(d);
    feeds[IO.mask(d.layer)] = new ort.Tensor('float32', new Float32Array(batch * nchw.reduce((a, b) => a * b, 1)).fill(1), [batch, ...nchw]);
  }
  feeds[IO.invBatch] = new ort.Tensor('float32', Float32Array.of(1 / batch), []);
  feeds[IO.lr] = new ort.Tensor('float32', Float32Array.of(1e-3), []);
  const w = initWeights(spec, 0);
  // (Values only matter for their cost: kernels are fed in their canonical order, whatever the graph layout.)
  const put = (io: string, p: GraphParam, data: Float32Array) => {
    for (const s of statePieces(io, p)) feeds[s.name] = new ort.Tensor('float32', data.slice(s.offset, s.offset + s.size), s.shape);
  };
  for (const p of plan.params) put(IO.param(p.name), p, Float32Array.from(w[p.name]!.data));
  for (const s of plan.slots) {
    const p = plan.params.find((q) => q.name === s.param)!;
    put(IO.slot(s.name), p, new Float32Array(p.shape.reduce((a, b) => a * b, 1)));
  }
  return feeds;
}

/** Runs each session once per round, in turn (a busy machine slows each alike): wall and process-CPU ms per run. */
export async function timeRounds(sessions: ort.InferenceSession[], feeds: Record<string, ort.Tensor>, rounds: number) {
  const times = sessions.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, s] of sessions.entries()) {
      const c = process.cpuUsage();
      const t = performance.now();
      await s.run(feeds);
      const used = process.cpuUsage(c);
      times[i]!.wall.push(performance.now() - t);
      times[i]!.cpu.push((used.user + used.system) / 1000);
    }
  }
  return times;
}
