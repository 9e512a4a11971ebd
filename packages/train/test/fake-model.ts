// A tiny real TrainableModel in plain JS for the loop's tests: softmax regression `dense` trained with SGD
// (momentum slot so optimizer state round-trips), categorical cross-entropy. Counts its calls.
import type { ModelInput, ModelTarget, OptimizerState, StepResult, Tensor, TrainableModel, WeightMap } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';

export interface FakeOptions {
  features: number;
  classes: number;
  learningRate?: number;
  /** Makes trainStep return this loss at the given (1-based) global step, to test the NaN guard. */
  poisonAtStep?: { step: number; loss: number };
  outputs?: string[];
}

function first(x: ModelInput | ModelTarget): Tensor {
  if (Array.isArray(x)) return x[0]!;
  if ('shape' in x) return x as Tensor;
  return Object.values(x)[0]!;
}

export class FakeModel implements TrainableModel {
  readonly backend = 'fake';
  readonly spec: ModelSpec;
  kernel: Float32Array;
  momentum: Float32Array;
  step = 0;
  trainCalls: number[][] = [];
  disposed = false;

  constructor(private readonly o: FakeOptions) {
    const outputs = o.outputs ?? ['dense'];
    this.spec = {
      format: 'convzoo.spec/1',
      name: 'fake',
      inputs: ['input'],
      outputs,
      layers: [
        { kind: 'input', name: 'input', inputs: [], shape: [1, 1, o.features] },
        { kind: 'flatten', name: 'flatten', inputs: ['input'] },
        ...outputs.map((name) => ({ kind: 'dense' as const, name, inputs: ['flatten'], units: o.classes, useBias: false, activation: 'softmax' as const })),
      ],
    };
    this.kernel = new Float32Array(o.features * o.classes);
    this.momentum = new Float32Array(o.features * o.classes);
  }

  private forward(x: Tensor): Tensor {
    const { features: d, classes: c } = this.o;
    const n = x.shape[0]!;
    const out = new Float32Array(n * c);
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < c; k++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += x.data[i * d + j]! * this.kernel[j * c + k]!;
        out[i * c + k] = s;
        max = Math.max(max, s);
      }
      let z = 0;
      for (let k = 0; k < c; k++) z += out[i * c + k] = Math.exp(out[i * c + k]! - max);
      for (let k = 0; k < c; k++) out[i * c + k]! /= z;
    }
    return { shape: [n, c], data: out };
  }

  private loss(p: Tensor, y: Tensor): number {
    let s = 0;
    for (let i = 0; i < p.data.length; i++) s -= y.data[i]! * Math.log(Math.max(1e-7, p.data[i]!));
    return s / p.shape[0]!;
  }

  private result(p: Tensor, y: Tensor): StepResult {
    const l = this.loss(p, y);
    const k = this.spec.outputs.length;
    return { loss: l * k, losses: this.spec.outputs.map(() => l), outputs: this.spec.outputs.map(() => p) };
  }

  async trainStep(x: ModelInput, y: ModelTarget): Promise<StepResult> {
    const xt = first(x);
    const yt = first(y);
    this.trainCalls.push(Array.from(xt.data.subarray(0, xt.shape[0]! * this.o.features)));
    const p = this.forward(xt);
    const r = this.result(p, yt);
    const { features: d, classes: c, learningRate = 0.5 } = this.o;
    const n = xt.shape[0]!;
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < c; k++) {
        let g = 0;
        for (let i = 0; i < n; i++) g += xt.data[i * d + j]! * (p.data[i * c + k]! - yt.data[i * c + k]!);
        const idx = j * c + k;
        this.momentum[idx] = 0.5 * this.momentum[idx]! + g / n;
        this.kernel[idx]! -= learningRate * this.momentum[idx]!;
      }
    }
    this.step++;
    if (this.o.poisonAtStep?.step === this.step) r.loss = this.o.poisonAtStep.loss;
    return r;
  }

  async evaluateStep(x: ModelInput, y: ModelTarget): Promise<StepResult> {
    return this.result(this.forward(first(x)), first(y));
  }

  async predict(x: ModelInput): Promise<Tensor[]> {
    const p = this.forward(first(x));
    return this.spec.outputs.map(() => p);
  }

  async getWeights(): Promise<WeightMap> {
    return { 'dense/kernel': { shape: [this.o.features, this.o.classes], data: this.kernel.slice() } };
  }

  async setWeights(w: WeightMap): Promise<void> {
    const k = w['dense/kernel'];
    if (!k) throw new Error('dense/kernel missing');
    this.kernel = k.data.slice();
  }

  async getOptimizerState(): Promise<OptimizerState> {
    return { step: this.step, slots: { 'dense/kernel/momentum': { shape: [this.o.features, this.o.classes], data: this.momentum.slice() } } };
  }

  async setOptimizerState(s: OptimizerState): Promise<void> {
    this.step = s.step;
    this.momentum = s.slots['dense/kernel/momentum']!.data.slice();
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** A separable toy problem: class k has feature k set (plus a bias feature), one-hot targets. */
export function toyData(n: number, classes: number): { x: Tensor; y: Tensor } {
  const d = classes + 1;
  const x = new Float32Array(n * d);
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    const k = i % classes;
    x[i * d + k] = 1;
    x[i * d + classes] = 1;
    x[i * d + ((k + 1) % classes)] = (0.3 * ((i * 7919) % 5)) / 5;
    y[i * classes + k] = 1;
  }
  return { x: { shape: [n, d], data: x }, y: { shape: [n, classes], data: y } };
}
