// The backend contract, types only. Every engine (tfjs, ONNX Runtime, ...) implements these; nothing here
// imports an engine, and no engine type crosses this boundary.
import type { CompiledSpec, ModelSpec } from '@convzoo/models';

/** A dense float32 tensor, row-major. Images are NHWC. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** Parameters by canonical name (`conv2d/kernel`, `batch_normalization/moving_mean`), canonical layout. */
export type WeightMap = Record<string, Tensor>;

/**
 * Keras' PiecewiseConstantDecay: the learning rate is `values[i]` while the update count is below `boundaries[i]`,
 * then the last value (`values` has one more entry than `boundaries`, which increase). Replaces `learningRate`.
 */
export interface LearningRateSchedule {
  boundaries: number[];
  values: number[];
}

export interface AdamConfig {
  kind: 'adam';
  /** Keras defaults: 1e-3, 0.9, 0.999, 1e-7. */
  learningRate?: number;
  learningRateSchedule?: LearningRateSchedule;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface SgdConfig {
  kind: 'sgd';
  /** Keras default 0.01. */
  learningRate?: number;
  momentum?: number;
  nesterov?: boolean;
  /** Keras 2 style time decay: lr_t = lr / (1 + decay * iterations). */
  decay?: number;
  learningRateSchedule?: LearningRateSchedule;
  /**
   * L2 weight decay as PyTorch's SGD `weight_decay` (and He et al.'s recipe): each trained parameter's gradient
   * gets `weightDecay * parameter` added before the momentum update. Default 0.
   */
  weightDecay?: number;
}

export type OptimizerConfig = AdamConfig | SgdConfig;

export type LossName = 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy';

export interface LossConfig {
  /** One loss for every output, or one per output (in `spec.outputs` order). */
  loss: LossName | LossName[];
  /** Per-output weights of the total loss (GoogLeNet's aux heads: [1, 0.3, 0.3]). Default all 1. */
  lossWeights?: number[];
}

export interface TrainingConfig extends LossConfig {
  optimizer: OptimizerConfig;
}

export interface CompileOptions {
  /** A registered backend name, or 'auto' (default) for the best available one. */
  backend?: string;
  /** Initial parameters. Missing names are initialised (Keras defaults) unless `strictWeights`. */
  weights?: WeightMap;
  /** Require `weights` to hold every parameter of the spec (loading a checkpoint); missing names throw. */
  strictWeights?: boolean;
  /**
   * Weights known by a content key and loaded only when needed, instead of `weights` (not both): a backend that
   * caches what it compiles from them (onnx-*: the exported ONNX model, by key, in Node's files or a browser's Cache
   * Storage) starts from its cache without loading them; every other backend, and training, loads them at compile.
   */
  weightsSource?: WeightsSource;
  /** Seed for initialisers and dropout, so runs are reproducible. */
  seed?: number;
  /** Required to get a model with `trainStep`; backends that cannot train reject it naming those that can. */
  training?: TrainingConfig;
  /** Engine-specific knobs (threads, graph optimisation level, ...), documented by each adapter. */
  engine?: Record<string, unknown>;
  /**
   * The largest batch the model will see: the registry checks the backend's memory model before compiling and
   * refuses (`out-of-memory`, naming the largest batch that fits) or, for 'auto', passes over backends too small.
   */
  batchSize?: number;
}

/** Weights by content key, loaded on demand (see CompileOptions.weightsSource). */
export interface WeightsSource {
  /** Identifies the weights' content, e.g. the sha256 of the file they are read from. */
  key: string;
  /** The weights, all of them (strict). */
  load(): Promise<WeightMap>;
  /**
   * Where a backend may keep what it derives from these weights: a folder in Node, the name of a Cache Storage cache
   * in a browser (onnx-wasm, onnx-web-webgpu). No caching without.
   */
  cacheDir?: string;
}

/** Inputs may be one tensor (single-input specs), an array in `spec.inputs` order, or a map by input name. */
export type ModelInput = Tensor | Tensor[] | Record<string, Tensor>;
/** Targets: one tensor per output in `spec.outputs` order (one tensor is fine for single-output specs). */
export type ModelTarget = Tensor | Tensor[];

export interface StepResult {
  /** Total weighted loss of the batch (before the update). */
  loss: number;
  /** Loss of each output, unweighted, in `spec.outputs` order. */
  losses: number[];
  /** Each output's predictions for the batch (training mode), for metrics such as accuracy. */
  outputs: Tensor[];
}

export interface OptimizerState {
  /** Number of updates applied so far (Keras `iterations`). */
  step: number;
  /** Slot variables by `<param name>/<slot>` (`conv2d/kernel/m`, `conv2d/kernel/v`, `.../momentum`). */
  slots: WeightMap;
}

export interface Model {
  readonly spec: ModelSpec;
  /** The backend that actually runs this model, e.g. `tfjs-wasm`. */
  readonly backend: string;
  /** Inference mode (BN uses moving statistics, dropout is identity). One tensor per output. */
  predict(x: ModelInput): Promise<Tensor[]>;
  getWeights(): Promise<WeightMap>;
  /** Replaces the named parameters; unknown names or wrong shapes throw naming the first offender. */
  setWeights(weights: WeightMap): Promise<void>;
  /** Frees engine memory. Calling anything afterwards throws. */
  dispose(): void;
}

export interface TrainableModel extends Model {
  /** One optimizer update on a batch, training mode (BN batch statistics, dropout active). */
  trainStep(x: ModelInput, y: ModelTarget): Promise<StepResult>;
  /** Loss and outputs in inference mode, no update (for validation / evaluate). */
  evaluateStep(x: ModelInput, y: ModelTarget): Promise<StepResult>;
  getOptimizerState(): Promise<OptimizerState>;
  setOptimizerState(state: OptimizerState): Promise<void>;
}

/** Engine memory held by a backend, for leak checks (conformance: nothing left after `dispose()`). */
export interface BackendMemory {
  /** Live engine tensors (tfjs) or buffers/sessions (ORT). */
  tensors: number;
  /** Bytes they hold, when the engine knows. */
  bytes?: number;
  /**
   * Bytes the engine has reserved from the system, when it keeps its own heap: tfjs-wasm's WebAssembly memory, which
   * grows to the peak and never shrinks, so after a step it is that step's high-water mark.
   */
  reservedBytes?: number;
}

/** Multiples of a memory plan's parts an engine holds at its peak (measured: apps/cli/scripts/bench-memory.ts). */
export interface MemoryFactors {
  /** x the plan's activations (all layer outputs of the batch). */
  activations: number;
  /** x the plan's largest im2col patch matrix. */
  temporary: number;
  /** x the weights, beyond weights, gradients and optimizer slots (temporaries of the update step). Default 0. */
  parameters?: number;
  /** Fixed bytes of the engine itself (kernels, runtime, allocator slack). */
  overheadBytes: number;
}

/** What a backend has and how it spends it, so a model that cannot fit is refused before anything is allocated. */
export interface MemoryModel {
  /** Bytes the backend can use: tfjs-wasm's WebAssembly heap maximum, free system memory for native engines, ... */
  limitBytes: number;
  /** Where that limit comes from, for messages: `WebAssembly heap maximum`. */
  limitSource: string;
  training?: MemoryFactors;
  inference: MemoryFactors;
}

/** Whether a backend can start here, and if not, why (shown by `doctor`). */
export interface ProbeResult {
  available: boolean;
  /** Human reason when unavailable: `package onnxruntime-node is not installed (npm i onnxruntime-node)`. */
  reason?: string;
  /** Extra facts when available (engine version, threads, adapter name). */
  details?: string;
}

export interface BackendFactory {
  /** Registry name, e.g. `tfjs-cpu`, `onnx-webgpu`. */
  name: string;
  /** Higher wins for 'auto'. */
  priority: number;
  /** Whether compile() takes `weightsSource` itself (inference); the registry loads it for the others. */
  lazyWeights?: boolean;
  /** Cheap check, run at most once per process by the registry. Must not throw. */
  probe(): Promise<ProbeResult>;
  /**
   * Initialise the engine (lazily, once) and build an inference model of the analysed spec. The registry validates
   * and analyses the spec once (compileSpec) and calls this only after a successful probe.
   */
  compile(compiled: CompiledSpec, options: CompileOptions): Promise<Model>;
  /**
   * Only on backends that train (autodiff and optimizers): a model with trainStep. Its presence IS the capability:
   * the registry reports `canTrain` from it and routes `compile({ training })` here, nowhere else.
   */
  compileTrainable?(compiled: CompiledSpec, options: CompileOptions & { training: TrainingConfig }): Promise<TrainableModel>;
  /** Optional: what the engine holds now (after the backend started), so tests can see leaks. */
  memory?(): Promise<BackendMemory>;
  /** Optional: its memory limit and factors (undefined where unknown here); unchecked without. Call after a successful probe. */
  memoryModel?(): Promise<MemoryModel | undefined>;
}
