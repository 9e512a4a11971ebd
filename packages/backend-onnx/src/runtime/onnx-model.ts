// A compiled spec on one ONNX Runtime session. The session is created once per weight set; predict calls are
// serialised through a queue (a session must not run twice at once on every EP); setWeights re-exports and swaps
// the session; the canonical weights stay here, so getWeights needs no decoding.
import type { CompiledSpec, FeatureShape, ModelSpec } from '@convzoo/models';
import {
  BackendError,
  checkInputs,
  checkWeights,
  initialWeights,
  type Model,
  type ModelInput,
  type Tensor,
  type WeightMap,
  type WeightsSource,
} from '@convzoo/backend';
import { toOnnx } from '../export/to-onnx.js';
import { CONVZOO_VERSION } from '../version.js';
import type { ModelCache } from './host.js';
import type { OrtModule, OrtSession, OrtTensor } from './ort.js';
import { SerialQueue } from './serial-queue.js';

export interface SessionFactory {
  ort: OrtModule;
  /**
   * From the model's bytes, or from a file the runtime reads itself. `keepOnDevice`: outputs the runtime may leave
   * on the GPU, to be fed back as inputs (onnxruntime-web's WebGPU EP; ignored elsewhere).
   */
  create(model: Uint8Array | string, keepOnDevice?: readonly string[]): Promise<OrtSession>;
  /** Told about a release that finishes later (dispose), so leak checks can wait for it. */
  settle?(p: Promise<unknown>): void;
}

const copy = (t: Tensor): Tensor => ({ shape: [...t.shape], data: new Float32Array(t.data) });

export class OnnxModel implements Model {
  private session: OrtSession;
  private readonly queue = new SerialQueue();
  private disposed = false;
  private readonly inputShapes: FeatureShape[];
  readonly spec: ModelSpec;

  private constructor(
    private readonly compiled: CompiledSpec,
    readonly backend: string,
    /** Undefined while a model built from a cached file has not needed them (getWeights/setWeights load them). */
    private weights: WeightMap | undefined,
    private readonly factory: SessionFactory,
    private readonly opset: number | undefined,
    session: OrtSession,
    private readonly source?: WeightsSource,
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

  /**
   * From weights known by key. With a cache and `source.cacheDir`, the exported model is kept by (convzoo version,
   * opset, spec, weights key) (Node: a file; browser: Cache Storage): the first compile loads the weights, exports and
   * stores the model; every later one starts the runtime from the stored model and never loads, checks or exports
   * the weights at all. A stored model the runtime cannot load is dropped and rebuilt.
   */
  static async fromSource(
    compiled: CompiledSpec,
    backend: string,
    source: WeightsSource,
    factory: SessionFactory,
    opset: number | undefined,
    cache: ModelCache | undefined,
  ): Promise<OnnxModel> {
    const load = async () => initialWeights(compiled.spec, { weights: await source.load(), strictWeights: true }, compiled.params);
    if (!cache || source.cacheDir === undefined) return OnnxModel.create(compiled, backend, await load(), factory, opset);
    const keyParts = [`convzoo ${CONVZOO_VERSION}`, `opset ${opset ?? 'default'}`, JSON.stringify(compiled.spec), source.key];
    const cached = await cache.find(source.cacheDir, keyParts);
    if (cached !== undefined) {
      try {
        return new OnnxModel(compiled, backend, undefined, factory, opset, await factory.create(cached), source);
      } catch {
        await cache.drop(source.cacheDir, keyParts);
      }
    }
    const stored = await cache.store(source.cacheDir, keyParts, toOnnx(compiled, await load(), opset === undefined ? {} : { opset }));
    return new OnnxModel(compiled, backend, undefined, factory, opset, await factory.create(stored), source);
  }

  private async currentWeights(): Promise<WeightMap> {
    this.weights ??= initialWeights(this.spec, { weights: await this.source!.load(), strictWeights: true }, this.compiled.params);
    return this.weights;
  }

  private alive(op: string): void {
    if (this.disposed) throw new BackendError('disposed', `${this.backend}: ${op}() called on model '${this.spec.name}' after dispose()`);
  }

  private feeds(x: ModelInput): Record<string, OrtTensor> {
    const { tensors } = checkInputs(this.spec, x, this.inputShapes);
    return Object.fromEntries(this.spec.inputs.map((name, i) => [name, new this.factory.ort.Tensor('float32', tensors[i]!.data, tensors[i]!.shape)]));
  }

  predict(x: ModelInput): Promise<Tensor[]> {
    try {
      this.alive('predict');
      const feeds = this.feeds(x);
      return this.queue.run(async () => {
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
    return Object.fromEntries(Object.entries(await this.currentWeights()).map(([k, t]) => [k, copy(t)]));
  }

  async setWeights(weights: WeightMap): Promise<void> {
    this.alive('setWeights');
    checkWeights(this.spec, weights, {}, this.compiled.params);
    const next = { ...(await this.currentWeights()), ...Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, copy(t)])) };
    const session = await this.factory.create(toOnnx(this.compiled, next, this.opset === undefined ? {} : { opset: this.opset }));
    // Swap between runs: calls queued before setWeights finish on the old weights.
    await this.queue.run(async () => {
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
    const released = this.queue
      .idle()
      .then(() => this.session.release())
      .catch(() => undefined);
    this.factory.settle?.(released);
  }
}
