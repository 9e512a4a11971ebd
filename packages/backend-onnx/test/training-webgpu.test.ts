// Training on onnx-webgpu (SwiftShader here) held to tfjs-cpu by the shared training conformance: every case (each
// layer kind, both max-pool backward paths, the optimizers and schedules, LeNet), 3 steps instead of 10 because
// SwiftShader compiles each WebGPU session slowly (~25 s for the file here).
import { BackendRegistry, isTrainable } from '@convzoo/backend';
import { describeTrainingConformance, relativeError, trainingParityCases } from '@convzoo/backend/conformance';
import { getModel } from '@convzoo/models';
import { describe, expect, it } from 'vitest';
import { registerTfjsBackends } from '@convzoo/backend-tfjs';
import { registerOnnxBackends } from '../src/index.js';

describeTrainingConformance({
  backend: 'onnx-webgpu',
  models: trainingParityCases(),
  steps: 3,
  timeout: 300_000,
  setup: () => {
    registerTfjsBackends();
    registerOnnxBackends();
  },
});

describe('onnx-webgpu keeps the training state on the GPU between steps', () => {
  it('parameters and slots stay gpu-buffer tensors; weights, optimizer state and predictions read back equal to onnx-cpu', async () => {
    const registry = new BackendRegistry();
    registerOnnxBackends(registry);
    const training = { loss: 'categoricalCrossentropy' as const, optimizer: { kind: 'adam' as const } };
    const [gpu, cpu] = await Promise.all(['onnx-webgpu', 'onnx-cpu'].map((backend) => registry.compile(getModel('lenet'), { backend, training, seed: 0 })));
    if (!isTrainable(gpu!) || !isTrainable(cpu!)) throw new Error('not trainable');
    const x = { shape: [4, 28, 28, 1], data: Float32Array.from({ length: 4 * 784 }, (_, i) => (i % 13) / 13) };
    const y = { shape: [4, 10], data: Float32Array.from({ length: 40 }, (_, i) => (i % 11 === 0 ? 1 : 0)) };
    for (let i = 0; i < 2; i++) {
      const [a, b] = await Promise.all([gpu.trainStep(x, y), cpu.trainStep(x, y)]);
      expect(relativeError(Float32Array.of(a.loss), Float32Array.of(b.loss))).toBeLessThanOrEqual(1e-4);
    }
    expect((gpu as unknown as { stateLocation: string }).stateLocation).toBe('gpu-buffer');
    const [wg, wc] = await Promise.all([gpu.getWeights(), cpu.getWeights()]);
    for (const [k, t] of Object.entries(wc)) expect(relativeError(wg[k]!.data, t.data), k).toBeLessThanOrEqual(1e-4);
    const [sg, sc] = await Promise.all([gpu.getOptimizerState(), cpu.getOptimizerState()]);
    expect(sg.step).toBe(2);
    for (const [k, t] of Object.entries(sc.slots)) expect(relativeError(sg.slots[k]!.data, t.data), k).toBeLessThanOrEqual(1e-4);
    const [pg, pc] = await Promise.all([gpu.predict(x), cpu.predict(x)]);
    expect(relativeError(pg[0]!.data, pc[0]!.data)).toBeLessThanOrEqual(1e-4);
    // Replacing the weights from the host mixes locations until the next step; both read back.
    await gpu.setWeights(wc);
    expect((gpu as unknown as { stateLocation: string }).stateLocation).toBe('cpu, gpu-buffer');
    expect(relativeError((await gpu.getWeights())['dense/kernel']!.data, wc['dense/kernel']!.data)).toBe(0);
    gpu.dispose();
    cpu.dispose();
  }, 120_000);
});
