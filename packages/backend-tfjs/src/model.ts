// A compiled spec on one tfjs backend: parameters as tf.Variables, forward/train steps as tfjs programs. Every call
// checks its arguments with @convzoo/backend's shared checks and runs inside `exclusive` (one tfjs engine).
import type * as tfc from '@tensorflow/tfjs-core';
import { BackendError, checkInputs, checkWeights, type CompileOptions, type Model, type ModelInput, type Tensor, type WeightMap } from '@convzoo/backend';
import type { CompiledSpec, FeatureShape, ModelSpec, ParamInfo } from '@convzoo/models';
import { busy, exclusive, whenIdle, type TF } from './engine.js';
import { forward } from './forward.js';

/** A tfjs tensor as a boundary Tensor (a copy: the cpu backend hands out its live buffer). */
export const toBoundary = async (t: tfc.Tensor): Promise<Tensor> => ({ shape: [...t.shape], data: new Float32Array(await t.data<'float32'>()) });

export class TfjsModel implements Model {
  readonly spec: ModelSpec;
  protected readonly params = new Map<string, tfc.Variable>();
  protected readonly infos: ParamInfo[];
  protected readonly inputShapes: FeatureShape[];
  protected readonly outputShapes: FeatureShape[];
  protected readonly seed: number;
  private disposed = false;

  constructor(
    protected readonly tf: TF,
    protected readonly compiled: CompiledSpec,
    readonly backend: string,
    protected readonly tfBackend: string,
    weights: WeightMap,
    options: CompileOptions,
  ) {
    this.spec = compiled.spec;
    this.inputShapes = compiled.inputShapes;
    this.outputShapes = compiled.outputShapes;
    this.infos = compiled.params;
    this.seed = options.seed ?? 0;
    // Call only inside exclusive() (the factory does), so the variables live on this model's backend.
    for (const p of this.infos) {
      const w = weights[p.name]!;
      this.params.set(
        p.name,
        tf.tidy(() => tf.variable(tf.tensor(w.data, w.shape, 'float32'), p.trainable)),
      );
    }
  }

  protected run<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(this.disposedError());
    // A call accepted before dispose() still runs: freeing waits for the queue to drain.
    return exclusive(this.tf, this.tfBackend, fn);
  }

  private disposedError(): BackendError {
    return new BackendError('disposed', `model '${this.spec.name}' on ${this.backend} was disposed`);
  }

  protected toTf(tensors: Tensor[]): tfc.Tensor[] {
    return tensors.map((t) => this.tf.tensor(t.data, t.shape, 'float32'));
  }

  async predict(x: ModelInput): Promise<Tensor[]> {
    const { tensors } = checkInputs(this.spec, x, this.inputShapes);
    return this.run(async () => {
      const { tf } = this;
      const outs = tf.tidy(() => forward(tf, this.compiled, this.params, this.toTf(tensors), { training: false, seed: this.seed, step: 0 }).outputs);
      try {
        return await Promise.all(outs.map(toBoundary));
      } finally {
        tf.dispose(outs);
      }
    });
  }

  async getWeights(): Promise<WeightMap> {
    return this.run(async () => {
      const out: WeightMap = {};
      for (const [name, v] of this.params) out[name] = await toBoundary(v);
      return out;
    });
  }

  async setWeights(weights: WeightMap): Promise<void> {
    if (this.disposed) throw this.disposedError();
    checkWeights(this.spec, weights, {}, this.infos);
    return this.run(() => {
      const { tf } = this;
      for (const [name, w] of Object.entries(weights)) {
        const v = this.params.get(name)!;
        tf.tidy(() => v.assign(tf.tensor(w.data, w.shape, 'float32')));
      }
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Freeing needs no active backend (each tensor knows its backend), but a call of this model may still be queued
    // or running: then free after it. The factory's memory() waits for that too.
    if (busy()) void whenIdle().then(() => this.free());
    else this.free();
  }

  protected free(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}
