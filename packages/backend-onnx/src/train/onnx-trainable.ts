// A spec trained on ONNX Runtime: three sessions (train, eval, predict) compiled from the same spec, fed one set of
// parameter tensors. Each train step's outputs (new params, slots, BN statistics) become the next step's inputs as
// they are: no copy or conversion in JS between steps; canonical (Keras-layout) weights are made only when asked.
import type { CompiledSpec, FeatureShape, ModelSpec } from '@convzoo/models';
import {
  BackendError,
  checkInputs,
  checkTargets,
  checkWeights,
  createRng,
  formatShape,
  learningRateAt,
  optimizerSlots,
  resolveLosses,
  resolveOptimizer,
  sameShape,
  streamSeed,
  type ModelInput,
  type ModelTarget,
  type OptimizerState,
  type ResolvedLosses,
  type ResolvedOptimizer,
  type StepResult,
  type Tensor,
  type TrainableModel,
  type TrainingConfig,
  type WeightMap,
} from '@convzoo/backend';
import { hwioToOihw } from '../export/layout.js';
import type { OrtModule, OrtSession, OrtTensor } from '../runtime/ort.js';
import { IO } from './io.js';
import { buildReadbackGraph, hostName } from './readback.js';
import { buildTrainGraph, maskShape, planGraph, stateOutputs, type EngineGraphOptions, type GraphParam, type TrainGraphPlan } from './train-graph.js';
import { SerialQueue } from '../runtime/serial-queue.js';
import { statePieces } from './state-pieces.js';

export interface TrainSessionFactory {
  ort: OrtModule;
  /** `keepOnDevice`: outputs the runtime may leave on the GPU (the new parameters and slots, fed back next step). */
  create(model: Uint8Array, keepOnDevice?: readonly string[]): Promise<OrtSession>;
  /** Told about a release that finishes later (dispose), so leak checks can wait for it. */
  settle?(p: Promise<unknown>): void;
}

/** Where a step's time goes (ms, summed since the last reset): for the benchmark's profile. */
export interface StepProfile {
  steps: number;
  /** Input checks, target one-hot, dropout masks, ORT tensor creation. */
  feedMs: number;
  /** session.run: the graph itself (forward, backward, update) plus ORT's own copies in and out. */
  runMs: number;
  /** Reading loss and outputs back, swapping the state. */
  fetchMs: number;
}

function oihwToHwio(kernel: Float32Array, [co, ci, kh, kw]: readonly number[]): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let o = 0; o < co!; o++)
    for (let i = 0; i < ci!; i++)
      for (let y = 0; y < kh!; y++) for (let x = 0; x < kw!; x++) out[((y * kw! + x) * ci! + i) * co! + o] = kernel[((o * ci! + i) * kh! + y) * kw! + x]!;
  return out;
}

const toGraph = (p: GraphParam, t: Tensor): Float32Array => (p.oihw ? hwioToOihw(t.data, p.canonical) : new Float32Array(t.data));
const toCanonical = (p: GraphParam, data: Float32Array): Tensor => ({
  shape: [...p.canonical],
  data: p.oihw ? oihwToHwio(data, p.shape) : new Float32Array(data),
});

/** A runtime output's values in a tensor of our own (the runtime's is disposed after). */
const copyOut = (t: OrtTensor): Tensor => ({ shape: [...t.dims], data: new Float32Array(t.data as Float32Array) });

function disposeAll(result: Record<string, OrtTensor>, kept: ReadonlySet<string> = new Set()): void {
  for (const [name, t] of Object.entries(result)) if (!kept.has(name)) t.dispose?.();
}

/** Sessions built on first use. */
type LazyMode = 'eval' | 'predict' | 'readback';

export class OnnxTrainableModel implements TrainableModel {
  private readonly queue = new SerialQueue();
  private disposed = false;
  private step = 0;
  /** Current parameter and slot tensors, graph layout, by graph input name. */
  private state = new Map<string, OrtTensor>();
  private readonly inputShapes: FeatureShape[];
  private readonly outputShapes: FeatureShape[];
  private readonly byName: Map<string, GraphParam>;
  readonly profile: StepProfile = { steps: 0, feedMs: 0, runMs: 0, fetchMs: 0 };

  private readonly lazy = new Map<LazyMode, Promise<OrtSession>>();

  private session(mode: LazyMode): Promise<OrtSession> {
    let s = this.lazy.get(mode);
    if (!s) {
      s = this.makeSession(mode);
      this.lazy.set(mode, s);
    }
    return s;
  }

  readonly spec: ModelSpec;
  /** The train graph's outputs that become the state (new parameters, slots, BN statistics). */
  private readonly stateOutputs: ReadonlySet<string>;

  private constructor(
    compiled: CompiledSpec,
    readonly backend: string,
    private readonly ort: OrtModule,
    private readonly plan: TrainGraphPlan,
    private readonly losses: ResolvedLosses,
    private readonly optimizer: ResolvedOptimizer,
    private readonly seed: number,
    private readonly train: OrtSession,
    /** Builds the eval / predict / readback sessions on first use: a run that never evaluates compiles one graph. */
    private readonly makeSession: (mode: LazyMode) => Promise<OrtSession>,
    private readonly settle?: (p: Promise<unknown>) => void,
  ) {
    this.spec = compiled.spec;
    this.inputShapes = compiled.inputShapes;
    this.outputShapes = compiled.outputShapes;
    this.byName = new Map(plan.params.map((p) => [p.name, p]));
    this.stateOutputs = new Set(stateOutputs(plan));
  }

  static async create(
    compiled: CompiledSpec,
    backend: string,
    weights: WeightMap,
    training: TrainingConfig,
    seed: number,
    factory: TrainSessionFactory,
    graph: EngineGraphOptions = {},
  ): Promise<OnnxTrainableModel> {
    const losses = resolveLosses(compiled.spec, training);
    const optimizer = resolveOptimizer(training.optimizer);
    const plan = planGraph(compiled, optimizer, graph.stateChunk ?? 0);
    const build = (mode: 'train' | 'eval' | 'predict') => buildTrainGraph(compiled, plan, { mode, losses, optimizer, ...graph });
    // The new parameters, slots and BN statistics stay where the runtime computed them (the GPU, on the WebGPU EPs)
    // and come back as the next step's inputs; only loss and predictions are read.
    const train = await factory.create(build('train'), stateOutputs(plan));
    const byName = new Map(plan.params.map((p) => [p.name, p]));
    const state = [
      ...plan.params.flatMap((p) => statePieces(IO.param(p.name), p)),
      ...plan.slots.flatMap((s) => statePieces(IO.slot(s.name), byName.get(s.param)!)),
    ];
    const model = new OnnxTrainableModel(
      compiled,
      backend,
      factory.ort,
      plan,
      losses,
      optimizer,
      seed,
      train,
      (mode) => factory.create(mode === 'readback' ? buildReadbackGraph(state) : build(mode)),
      factory.settle?.bind(factory),
    );
    model.loadWeights(weights);
    for (const s of plan.slots) {
      const p = model.byName.get(s.param)!;
      model.putState(IO.slot(s.name), p, new Float32Array(p.shape.reduce((a, b) => a * b, 1)));
    }
    return model;
  }

  /** Where the parameters and slots live between steps ('cpu', 'gpu-buffer', or both listed while they differ). */
  get stateLocation(): string {
    return [...new Set([...this.state.values()].map((t) => t.location ?? 'cpu'))].sort().join(', ');
  }

  /**
   * Every state tensor's values on the host, by IO name, its pieces joined: as they are, or through the readback graph
   * when any lives on the GPU.
   */
  private async hostState(): Promise<Map<string, Float32Array>> {
    const onHost = [...this.state.values()].every((t) => (t.location ?? 'cpu') === 'cpu');
    let pieces: Map<string, Float32Array>;
    if (onHost) pieces = new Map([...this.state].map(([name, t]) => [name, t.data as Float32Array]));
    else {
      const out = await (await this.session('readback')).run(Object.fromEntries(this.state));
      pieces = new Map([...this.state.keys()].map((name) => [name, copyOut(out[hostName(name)]!).data]));
      disposeAll(out);
    }
    const joined = (io: string, p: GraphParam): [string, Float32Array] => {
      const parts = statePieces(io, p);
      if (parts.length === 1) return [io, pieces.get(io)!];
      const whole = new Float32Array(p.shape.reduce((a, b) => a * b, 1));
      for (const s of parts) whole.set(pieces.get(s.name)!, s.offset);
      return [io, whole];
    };
    return new Map([
      ...this.plan.params.map((p) => joined(IO.param(p.name), p)),
      ...this.plan.slots.map((s) => joined(IO.slot(s.name), this.byName.get(s.param)!)),
    ]);
  }

  /** Sets state tensor `io` of parameter `p` (graph layout): its pieces are views of `data`, no copy. */
  private putState(io: string, p: GraphParam, data: Float32Array): void {
    for (const s of statePieces(io, p)) this.swap(s.name, this.tensor(s.size === data.length ? data : data.subarray(s.offset, s.offset + s.size), s.shape));
  }

  /** Feeds state tensor `io`'s pieces. */
  private feedState(feeds: Record<string, OrtTensor>, io: string, p: GraphParam): void {
    for (const s of statePieces(io, p)) feeds[s.name] = this.state.get(s.name)!;
  }

  /** Takes the step's new value of state tensor `io` (output `next`), piece by piece, as it is. */
  private takeState(result: Record<string, OrtTensor>, next: string, io: string, p: GraphParam): void {
    const outs = statePieces(next, p);
    statePieces(io, p).forEach((s, i) => this.swap(s.name, result[outs[i]!.name]!));
  }

  private tensor(data: Float32Array, shape: readonly number[]): OrtTensor {
    return new this.ort.Tensor('float32', data, shape);
  }

  private loadWeights(weights: WeightMap): void {
    for (const [name, t] of Object.entries(weights)) {
      const p = this.byName.get(name)!;
      this.putState(IO.param(name), p, toGraph(p, t));
    }
  }

  private alive(op: string): void {
    if (this.disposed) throw new BackendError('disposed', `${this.backend}: ${op}() called on model '${this.spec.name}' after dispose()`);
  }

  private inputFeeds(x: ModelInput): { feeds: Record<string, OrtTensor>; batch: number } {
    const { tensors, batch } = checkInputs(this.spec, x, this.inputShapes);
    const feeds: Record<string, OrtTensor> = {};
    this.spec.inputs.forEach((name, i) => (feeds[name] = this.tensor(tensors[i]!.data, tensors[i]!.shape)));
    for (const p of this.plan.params) this.feedState(feeds, IO.param(p.name), p);
    return { feeds, batch };
  }

  private targetFeeds(feeds: Record<string, OrtTensor>, y: ModelTarget, batch: number): void {
    const targets = checkTargets(this.spec, y, batch, this.losses.losses, this.outputShapes);
    targets.forEach((t, i) => {
      const classes = this.outputShapes[i]![0]!;
      if (this.losses.losses[i] === 'sparseCategoricalCrossentropy') {
        const hot = new Float32Array(batch * classes);
        for (let r = 0; r < batch; r++) hot[r * classes + t.data[r]!] = 1;
        feeds[IO.target(i)] = this.tensor(hot, [batch, classes]);
      } else {
        feeds[IO.target(i)] = this.tensor(t.data, [batch, classes]);
      }
    });
    feeds[IO.invBatch] = this.tensor(Float32Array.of(1 / batch), []);
  }

  /** Dropout masks (scaled by 1 / (1 - rate)), one stream per (seed, layer, step): reproducible across runs. */
  private maskFeeds(feeds: Record<string, OrtTensor>, batch: number): void {
    for (const d of this.plan.dropouts) {
      const nchw = maskShape(d);
      const size = batch * nchw.reduce((a, b) => a * b, 1);
      const rng = createRng(streamSeed(streamSeed(this.seed, d.layer), `step ${this.step}`));
      const keep = 1 / (1 - d.rate);
      const mask = new Float32Array(size);
      for (let i = 0; i < size; i++) mask[i] = rng() >= d.rate ? keep : 0;
      feeds[IO.mask(d.layer)] = this.tensor(mask, [batch, ...nchw]);
    }
  }

  /** Keras' learning rate of the coming update: Adam folds its bias corrections in, SGD its time decay. */
  private learningRate(): number {
    const o = this.optimizer;
    const t = this.step + 1;
    const base = learningRateAt(o, this.step);
    if (o.kind === 'adam') return (base * Math.sqrt(1 - o.beta2 ** t)) / (1 - o.beta1 ** t);
    return base / (1 + o.decay * this.step);
  }

  /** Loss and predictions, copied out; then every output not `kept` (moved into the state) is disposed. */
  private read(result: Record<string, OrtTensor>, kept: ReadonlySet<string> = new Set()): StepResult {
    const scalar = (name: string) => (result[name]!.data as Float32Array)[0]!;
    const out = {
      loss: scalar(IO.loss),
      losses: this.spec.outputs.map((_, i) => scalar(IO.lossOf(i))),
      outputs: this.spec.outputs.map((_, i) => copyOut(result[IO.output(i)]!)),
    };
    disposeAll(result, kept);
    return out;
  }

  trainStep(x: ModelInput, y: ModelTarget): Promise<StepResult> {
    try {
      this.alive('trainStep');
      return this.queue.run(async () => {
        const t0 = performance.now();
        const { feeds, batch } = this.inputFeeds(x);
        this.targetFeeds(feeds, y, batch);
        this.maskFeeds(feeds, batch);
        for (const s of this.plan.slots) this.feedState(feeds, IO.slot(s.name), this.byName.get(s.param)!);
        feeds[IO.lr] = this.tensor(Float32Array.of(this.learningRate()), []);
        const t1 = performance.now();
        const result = await this.train.run(feeds);
        const t2 = performance.now();
        // The step's outputs are the next step's inputs, as they are.
        for (const name of this.plan.updated) this.takeState(result, IO.newParam(name), IO.param(name), this.byName.get(name)!);
        for (const s of this.plan.slots) this.takeState(result, IO.newSlot(s.name), IO.slot(s.name), this.byName.get(s.param)!);
        const out = this.read(result, this.stateOutputs);
        this.step += 1;
        const t3 = performance.now();
        this.profile.steps += 1;
        this.profile.feedMs += t1 - t0;
        this.profile.runMs += t2 - t1;
        this.profile.fetchMs += t3 - t2;
        return out;
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private swap(name: string, next: OrtTensor): void {
    this.state.get(name)?.dispose?.();
    this.state.set(name, next);
  }

  evaluateStep(x: ModelInput, y: ModelTarget): Promise<StepResult> {
    try {
      this.alive('evaluateStep');
      const { feeds, batch } = this.inputFeeds(x);
      this.targetFeeds(feeds, y, batch);
      return this.queue.run(async () => this.read(await (await this.session('eval')).run(feeds)));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  predict(x: ModelInput): Promise<Tensor[]> {
    try {
      this.alive('predict');
      const { feeds } = this.inputFeeds(x);
      return this.queue.run(async () => {
        const r = await (await this.session('predict')).run(feeds);
        const out = this.spec.outputs.map((_, i) => copyOut(r[IO.output(i)]!));
        disposeAll(r);
        return out;
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async getWeights(): Promise<WeightMap> {
    this.alive('getWeights');
    return this.queue.run(async () => {
      const host = await this.hostState();
      return Object.fromEntries(this.plan.params.map((p) => [p.name, toCanonical(p, host.get(IO.param(p.name))!)]));
    });
  }

  async setWeights(weights: WeightMap): Promise<void> {
    this.alive('setWeights');
    checkWeights(this.spec, weights);
    await this.queue.run(async () => this.loadWeights(weights));
  }

  async getOptimizerState(): Promise<OptimizerState> {
    this.alive('getOptimizerState');
    return this.queue.run(async () => {
      const host = await this.hostState();
      const slots = Object.fromEntries(this.plan.slots.map((s) => [s.name, toCanonical(this.byName.get(s.param)!, host.get(IO.slot(s.name))!)]));
      return { step: this.step, slots };
    });
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    this.alive('setOptimizerState');
    const what = `optimizer state for model '${this.spec.name}'`;
    if (!Number.isInteger(state?.step) || state.step < 0) throw new BackendError('config', `${what}: step must be an integer >= 0, got ${state?.step}`);
    const expected = new Map(this.plan.slots.map((s) => [s.name, this.byName.get(s.param)!]));
    for (const [name, t] of Object.entries(state.slots ?? {})) {
      const p = expected.get(name);
      if (!p) {
        const names = optimizerSlots(this.optimizer);
        throw new BackendError(
          'config',
          `${what}: unknown slot '${name}' (${this.optimizer.kind} keeps ${names.length ? names.map((s) => `<param>/${s}`).join(', ') : 'no slots'})`,
        );
      }
      if (!sameShape(t.shape, p.canonical) || t.data.length !== p.canonical.reduce((a, b) => a * b, 1)) {
        throw new BackendError('config', `${what}: slot '${name}' has shape ${formatShape(t.shape)} but ${formatShape(p.canonical)} is expected`);
      }
    }
    const missing = [...expected.keys()].find((k) => !(k in (state.slots ?? {})));
    if (missing !== undefined) throw new BackendError('config', `${what}: slot '${missing}' is missing`);
    await this.queue.run(async () => {
      for (const [name, t] of Object.entries(state.slots)) {
        const p = expected.get(name)!;
        this.putState(IO.slot(name), p, toGraph(p, t));
      }
      this.step = state.step;
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const released = this.queue
      .idle()
      .then(async () => {
        for (const t of this.state.values()) t.dispose?.();
        this.state.clear();
        await Promise.all([this.train, ...(await Promise.all(this.lazy.values()))].map((s) => s.release()));
      })
      .catch(() => undefined);
    this.settle?.(released);
  }
}
