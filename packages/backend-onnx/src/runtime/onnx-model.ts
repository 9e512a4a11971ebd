// A compiled spec on one ONNX Runtime session. The session is created once per weight set; predict calls are
// serialised through a queue (a session must not run twice at once on every EP); setWeights re-exports and swaps
// the session; the canonical weights stay here, so getWeights needs no decoding.
import type { CompiledSpec, FeatureShape, ModelSpec } from '@convzoo/spec';
import { BackendError, checkInputs, checkWeights, type Model, type ModelInput, type Tensor, type WeightMap } from '@convzoo/backend';
import { toOnnx } from '../export/to-onnx.js';
import type { OrtModule, OrtSession, OrtTensor } from './ort.js';

export interface SessionFactory {
  ort: OrtModule;
  create(model: Uint8Array): Promise<OrtSession>;
  /** Told about a release that finishes later (dispose), so leak checks can wait for it. */
  settle?(p: Promise<unknown>): void;
}

const copy = (t: Tensor): Tensor => ({ shape: [...t.shape], data: new Float32Array(t.data) });

export class OnnxModel implements Model {
  private session: OrtSession;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly inputShapes: FeatureShape[];
  readonly spec: ModelSpec;

  private constructor(
    private readonly compiled: CompiledSpec,
    readonly backend: string,
    private weights: WeightMap,
    private readonly factory: SessionFactory,
    private readonly opset: number | undefined,
    session: OrtSession,
  ) {
    this.session = session;
    this.spec = compiled.spec;
    this.inputShapes = compiled.inputShapes;
  }

  /** Takes ownership of `weights` (callers pass fresh copies, e.g. from initialWeights). */
  static async create(compiled: CompiledSpec, backend: string, weights: WeightMap, factory: SessionFactory, opset?: number): Promise<OnnxModel> {
    const session = await factory.create(toOnnx(compiled, weights, opset === undefined ? {} : { opset }));
    return new OnnxModel(compiled, backend, weights, factory, opset, session);
  }

  private alive(op: string): void {
    if (this.disposed) throw new BackendError('disposed', `${this.backend}: ${op}() called on model '${this.spec.name}' after dispose()`);
  }

  /** Runs `job` after every earlier call has finished; a failed job does not block the ones after it. */
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private feeds(x: ModelInput): Record<string, OrtTensor> {
    const { tensors } = checkInputs(this.spec, x, this.inputShapes);
    return Object.fromEntries(this.spec.inputs.map((name, i) => [name, new this.factory.ort.Tensor('float32', tensors[i]!.data, tensors[i]!.shape)]));
  }

  predict(x: ModelInput): Promise<Tensor[]> {
    try {
      this.alive('predict');
      const feeds = this.feeds(x);
      return this.enqueue(async () => {
        const result = await this.session.run(feeds);
        const outputs = this.spec.outputs.map((name) => {
          const t = result[name];
          if (!t || !(t.data instanceof Float32Array)) throw new BackendError('input', `${this.backend}: the session returned no float32 output '${name}'`);
          // Copy out of the runtime's buffer so the tensor stays valid after the runtime reuses or frees it.
          return { shape: [...t.dims], data: new Float32Array(t.data) };
        });
        // Every output the session returned, the extra ones included.
        for (const t of Object.values(result)) t.dispose?.();
        return outputs;
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async getWeights(): Promise<WeightMap> {
    this.alive('getWeights');
    return Object.fromEntries(Object.entries(this.weights).map(([k, t]) => [k, copy(t)]));
  }

  async setWeights(weights: WeightMap): Promise<void> {
    this.alive('setWeights');
    checkWeights(this.spec, weights, {}, this.compiled.params);
    const next = { ...this.weights, ...Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, copy(t)])) };
    const session = await this.factory.create(toOnnx(this.compiled, next, this.opset === undefined ? {} : { opset: this.opset }));
    // Swap between runs: calls queued before setWeights finish on the old weights.
    await this.enqueue(async () => {
      if (this.disposed) {
        await session.release();
        throw new BackendError('disposed', `${this.backend}: model '${this.spec.name}' was disposed during setWeights()`);
      }
      const old = this.session;
      this.session = session;
      this.weights = next;
      await old.release();
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Release after queued runs finish (they were accepted before dispose); read the session then, in case a
    // queued setWeights swapped it.
    const released = this.queue.then(() => this.session.release()).catch(() => undefined);
    this.factory.settle?.(released);
  }
}
