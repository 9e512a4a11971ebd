// onnx-cpu's training graphs run convolutions whose channels are whole blocks as ONNX Runtime's blocked-channel Conv
// (src/layers/nchwc.ts): forward, and dx where it is a Conv with the flipped kernel. The x86 machines CI runs on have
// it (AVX2: 8 channels a block, AVX-512: 16); a machine without it fails the first test, by name, rather than letting
// the others pass on ONNX's Conv. The reference is the same model with engine.blockedConv false.
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, resolveLosses, resolveOptimizer, type TrainableModel, type WeightMap } from '@convzoo/backend';
import { randomInputs, randomTargets, randomWeights } from '@convzoo/backend/conformance';
import { compileSpec, SpecBuilder } from '@convzoo/models';
import { registerOnnxBackends } from '../src/index.js';
import { NCHWC_DOMAIN } from '../src/layers/nchwc.js';
import { decodeModel } from '../src/proto/onnx.js';
import { trainGraphOptions } from '../src/runtime/backends.js';
import { nchwcBlock } from '../src/runtime/nchwc-probe.js';
import type { OrtModule } from '../src/runtime/ort.js';
import { buildTrainGraph, planGraph } from '../src/train/train-graph.js';

function spec() {
  const b = new SpecBuilder('blocked');
  const x = b.input([10, 9, 3]);
  // 3 channels, 5x5: the NCHW-input form (no dx: it reads the graph's input).
  const stem = b.conv2d(x, { filters: 16, kernelSize: 5, padding: 'same', activation: 'relu', name: 'stem16' });
  // Stride 1, 'same': forward and dx blocked; bias and relu.
  const a = b.conv2d(stem, { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', name: 'same16' });
  // Stride 2 over an odd width (uneven pads): forward blocked, dx by Col2Im.
  const s = b.batchNorm(b.conv2d(a, { filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'strided32' }));
  // Dilated, stride 1: forward and dx blocked.
  const d = b.conv2d(s, { filters: 16, kernelSize: 3, dilation: 2, padding: 'same', activation: 'tanh', name: 'dilated16' });
  // 8 filters: not a whole block of 16; where the block is 8 it is one.
  const f = b.conv2d(d, { filters: 8, kernelSize: 1, activation: 'relu', name: 'narrow8' });
  return b.build(b.dense(b.flatten(f), { units: 5, activation: 'softmax' }));
}

let block = 0;

describe('onnx-cpu blocked-channel convolutions', () => {
  beforeAll(async () => {
    registerOnnxBackends();
    block = await nchwcBlock(ort as unknown as OrtModule);
  });

  it("this machine's CPU EP has them (8 or 16 channels a block)", () => {
    expect([8, 16], `nchwcBlock() = ${block}: onnxruntime-node's CPU EP has no com.microsoft.nchwc kernels here`).toContain(block);
  });

  it('the train graph blocks the forward and flipped-kernel dx convs whose channels are whole blocks, and only those', () => {
    const s = spec();
    const compiled = compileSpec(s);
    const optimizer = resolveOptimizer({ kind: 'adam' });
    const losses = resolveLosses(s, { loss: 'categoricalCrossentropy', optimizer: { kind: 'adam' } });
    const nodes = (blk: number) =>
      decodeModel(buildTrainGraph(compiled, planGraph(compiled, optimizer), { mode: 'train', losses, optimizer, ...trainGraphOptions('cpu', 1, blk) })).graph!
        .node;
    const blocked = nodes(16)
      .filter((n) => n.domain === NCHWC_DOMAIN && n.op_type === 'Conv')
      .map((n) => n.name);
    expect(blocked.sort()).toEqual([
      'dilated16/grad/dx/nchwc/conv',
      'dilated16/nchwc/conv',
      'same16/grad/dx/nchwc/conv',
      'same16/nchwc/conv',
      'stem16/nchwc/conv',
      'strided32/nchwc/conv',
    ]);
    // The stem reads its input as it is: no reorder into the blocked layout.
    expect(nodes(16).filter((n) => n.name.startsWith('stem16/nchwc/') && n.op_type === 'ReorderInput')).toEqual([]);
    expect(nodes(0).filter((n) => n.domain === NCHWC_DOMAIN)).toEqual([]);
    // Other execution providers never get them.
    expect(trainGraphOptions('wasm', 2, 16).nchwcBlock).toBe(0);
    expect(trainGraphOptions('cuda', 1, 16).nchwcBlock).toBe(0);
  });

  it('three SGD steps match those with ONNX Conv (engine.blockedConv false)', async () => {
    const s = spec();
    const weights = randomWeights(s, 3);
    const x = randomInputs(s, 6, 3);
    const open = async (blockedConv: boolean) =>
      (await compile(s, {
        backend: 'onnx-cpu',
        weights,
        strictWeights: true,
        engine: { blockedConv },
        training: { loss: 'categoricalCrossentropy', optimizer: { kind: 'sgd', learningRate: 0.1, momentum: 0.9 } },
      })) as TrainableModel;
    const [blocked, plain] = [await open(true), await open(false)];
    const y = randomTargets(s, await plain.predict(x), 3);
    for (let step = 0; step < 3; step++) {
      const [a, b] = [(await blocked.trainStep(x, y)).loss, (await plain.trainStep(x, y)).loss];
      expect(Math.abs(a - b), `step ${step}: loss ${a} blocked, ${b} ONNX Conv`).toBeLessThan(1e-5 * Math.abs(b) + 1e-6);
    }
    const wa: WeightMap = await blocked.getWeights();
    const wb: WeightMap = await plain.getWeights();
    for (const [name, w] of Object.entries(wb)) {
      const rms = Math.sqrt(w.data.reduce((acc, v) => acc + v * v, 0) / w.data.length);
      const err = Math.max(...w.data.map((v, i) => Math.abs(v - wa[name]!.data[i]!)));
      expect(err, `${name}: max |blocked - ONNX Conv| ${err}, rms ${rms}`).toBeLessThan(1e-4 * rms + 1e-7);
    }
    blocked.dispose();
    plain.dispose();
  });
});
