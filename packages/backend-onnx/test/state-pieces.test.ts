// Large parameters and optimizer slots cross onnx-cpu's training graphs in flat pieces (src/train/state-pieces.ts):
// the graph joins a parameter where layers read it and updates piece by piece. Pieces change where values travel, not
// what is computed: the same model trained with and without them (a small chunk, so a conv kernel, a dense kernel and
// their slots all cross in pieces) must give the same weights and optimizer state, bit for bit, and the state a
// pieced model reports must restore into another.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { resolveLosses, resolveOptimizer, type TrainingConfig } from '@convzoo/backend';
import { randomInputs, randomTargets, randomWeights } from '@convzoo/backend/conformance';
import { compileSpec, SpecBuilder } from '@convzoo/models';
import { decodeModel } from '../src/proto/onnx.js';
import type { OrtModule } from '../src/runtime/ort.js';
import { OnnxTrainableModel } from '../src/train/onnx-trainable.js';
import { pieceCount, statePieces } from '../src/train/state-pieces.js';
import { buildTrainGraph, planGraph } from '../src/train/train-graph.js';

const CHUNK = 1000;

function spec() {
  const b = new SpecBuilder('pieces');
  const x = b.input([8, 8, 3]);
  const a = b.conv2d(x, { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'small' }); // 216: whole
  const c = b.batchNorm(b.conv2d(a, { filters: 16, kernelSize: 3, padding: 'same', name: 'conv' })); // 1,152: 2 pieces
  return b.build(b.dense(b.flatten(c), { units: 10, activation: 'softmax', name: 'fc' })); // 10,240: 11 pieces
}

const factory = { ort: ort as unknown as OrtModule, create: (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 }) };

const open = (stateChunk: number, training: TrainingConfig) => {
  const s = spec();
  return OnnxTrainableModel.create(compileSpec(s), 'onnx-cpu', randomWeights(s, 4), training, 0, factory, { col2im: true, dw3d: true, stateChunk });
};

describe('state tensors in pieces', () => {
  it('cut into equal flat pieces, the last one shorter', () => {
    expect(pieceCount(1000, CHUNK)).toBe(1);
    expect(pieceCount(1001, CHUNK)).toBe(2);
    expect(pieceCount(5_000_000, 0)).toBe(1);
    const pieces = statePieces('param:fc/kernel', { shape: [1024, 10], pieces: 11 });
    expect(pieces.map((p) => p.size)).toEqual([...Array(10).fill(931), 10_240 - 10 * 931]);
    expect(pieces.map((p) => p.offset)).toEqual(pieces.map((_, i) => i * 931));
    expect(pieces[3]!.name).toBe('param:fc/kernel#3');
  });

  it('the train graph takes and returns large parameters and their slots in pieces, small ones whole', () => {
    const s = spec();
    const compiled = compileSpec(s);
    const optimizer = resolveOptimizer({ kind: 'adam' });
    const plan = planGraph(compiled, optimizer, CHUNK);
    expect(Object.fromEntries(plan.params.map((p) => [p.name, p.pieces]))).toMatchObject({
      'small/kernel': 1,
      'conv/kernel': 2,
      'fc/kernel': 11,
      'fc/bias': 1,
    });
    const losses = resolveLosses(s, { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } });
    const graph = decodeModel(buildTrainGraph(compiled, plan, { mode: 'train', losses, optimizer })).graph!;
    const inputs = graph.input.map((v) => v.name);
    const outputs = graph.output.map((v) => v.name);
    expect(inputs).toContain('param:conv/kernel#1');
    expect(inputs).toContain('slot:fc/kernel/v#10');
    expect(inputs).not.toContain('param:fc/kernel');
    expect(inputs).toContain('param:small/kernel');
    expect(outputs).toContain('new:fc/kernel#10');
    expect(outputs).toContain('new_slot:conv/kernel/m#0');
    expect(outputs).toContain('new:small/kernel');
  });

  for (const optimizer of [{ kind: 'adam' as const }, { kind: 'sgd' as const, learningRate: 0.05, momentum: 0.9 }]) {
    it(`${optimizer.kind}: three steps give the same weights and slots, bit for bit, as whole tensors`, async () => {
      const training: TrainingConfig = { loss: 'categoricalCrossentropy', optimizer };
      const [whole, pieced] = [await open(0, training), await open(CHUNK, training)];
      const s = spec();
      const x = randomInputs(s, 5, 4);
      const y = randomTargets(s, await whole.predict(x), 4);
      for (let i = 0; i < 3; i++) expect((await pieced.trainStep(x, y)).loss).toBe((await whole.trainStep(x, y)).loss);
      expect(await pieced.getWeights()).toEqual(await whole.getWeights());
      const state = await pieced.getOptimizerState();
      expect(state).toEqual(await whole.getOptimizerState());
      // The pieced state restores into a fresh pieced model, which then steps as the original does.
      const restored = await open(CHUNK, training);
      await restored.setWeights(await pieced.getWeights());
      await restored.setOptimizerState(state);
      expect((await restored.trainStep(x, y)).loss).toBe((await pieced.trainStep(x, y)).loss);
      expect(await restored.getWeights()).toEqual(await pieced.getWeights());
      for (const m of [whole, pieced, restored]) m.dispose();
    });
  }
});
