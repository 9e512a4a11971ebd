// The tfjs backends as registry factories: tfjs-cpu, tfjs-wasm, tfjs-webgl, tfjs-webgpu and tfjs-node (tfjs'
// 'tensorflow' backend). Packages load lazily, on the first probe or compile.
import {
  BackendError,
  initialWeights,
  registerBackend,
  resolveLosses,
  resolveOptimizer,
  type BackendFactory,
  type BackendMemory,
  type BackendRegistry,
  type CompileOptions,
  type Model,
  type ProbeResult,
  type TrainableModel,
  type TrainingConfig,
} from '@convzoo/backend';
import type { CompiledSpec } from '@convzoo/models';
import { exclusive, loadGradients, startBackend, whenIdle, type Loader, type TF, type TfjsTarget } from './engine.js';
import { cpuMemoryModel, wasmMemoryModel } from './memory.js';
import { TfjsModel } from './model.js';
import { TfjsTrainableModel } from './trainable.js';

// A specifier in a variable keeps bundlers and TypeScript from resolving packages that are usually not installed;
// browser apps pass literal loaders instead (see TfjsOptions.loaders).
const importByName = (name: string): Promise<unknown> => import(/* @vite-ignore */ name);

export type TfjsBackendName = 'tfjs-node' | 'tfjs-webgpu' | 'tfjs-webgl' | 'tfjs-wasm' | 'tfjs-cpu';

function targets(loaders: Partial<Record<TfjsBackendName, Loader>>): TfjsTarget[] {
  const nav = () => (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  return [
    {
      name: 'tfjs-node',
      tfBackend: 'tensorflow',
      packageName: '@tensorflow/tfjs-node',
      priority: 50,
      load: loaders['tfjs-node'] ?? (() => importByName('@tensorflow/tfjs-node')),
      precheck: () => (typeof process === 'undefined' || !process.versions?.node ? 'tfjs-node runs only in Node.js' : undefined),
      installHint: 'its install downloads libtensorflow, so it needs network access; it must match @tensorflow/tfjs-core 4.22',
    },
    {
      name: 'tfjs-webgpu',
      tfBackend: 'webgpu',
      packageName: '@tensorflow/tfjs-backend-webgpu',
      priority: 40,
      load: loaders['tfjs-webgpu'] ?? (() => importByName('@tensorflow/tfjs-backend-webgpu')),
      precheck: async () => {
        const gpu = nav()?.gpu as { requestAdapter?(): Promise<unknown> } | undefined;
        if (!gpu) return 'no WebGPU here (navigator.gpu is undefined): use a browser with WebGPU enabled';
        // Without an adapter tfjs fails deep inside its backend factory; say why up front.
        if (gpu.requestAdapter && !(await gpu.requestAdapter()))
          return 'navigator.gpu.requestAdapter() found no adapter (no WebGPU-capable GPU, or WebGPU is disabled in this browser)';
        return undefined;
      },
    },
    {
      name: 'tfjs-webgl',
      tfBackend: 'webgl',
      packageName: '@tensorflow/tfjs-backend-webgl',
      priority: 30,
      load: loaders['tfjs-webgl'] ?? (() => importByName('@tensorflow/tfjs-backend-webgl')),
      precheck: () =>
        typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas === 'undefined' &&
        typeof (globalThis as { document?: unknown }).document === 'undefined'
          ? 'no WebGL here (no document or OffscreenCanvas): tfjs-webgl runs in browsers'
          : undefined,
    },
    {
      name: 'tfjs-wasm',
      tfBackend: 'wasm',
      packageName: '@tensorflow/tfjs-backend-wasm',
      priority: 20,
      load: loaders['tfjs-wasm'] ?? (() => import('@tensorflow/tfjs-backend-wasm')),
      precheck: () => (typeof WebAssembly === 'undefined' ? 'no WebAssembly in this JavaScript runtime' : undefined),
      memoryModel: wasmMemoryModel,
    },
    {
      name: 'tfjs-cpu',
      tfBackend: 'cpu',
      packageName: '@tensorflow/tfjs-backend-cpu',
      priority: 10,
      load: loaders['tfjs-cpu'] ?? (() => import('@tensorflow/tfjs-backend-cpu')),
      memoryModel: cpuMemoryModel,
    },
  ];
}

async function compileOn(tf: TF, target: TfjsTarget, compiled: CompiledSpec, options: CompileOptions): Promise<Model> {
  const weights = initialWeights(compiled.spec, options, compiled.params);
  return exclusive(tf, target.tfBackend, () => new TfjsModel(tf, compiled, target.name, target.tfBackend, weights, options));
}

async function compileTrainableOn(
  tf: TF,
  target: TfjsTarget,
  compiled: CompiledSpec,
  options: CompileOptions & { training: TrainingConfig },
): Promise<TrainableModel> {
  const { spec } = compiled;
  const weights = initialWeights(spec, options, compiled.params);
  // Every refusal before any tensor exists, so a rejected compile leaves nothing behind; resolved once, kept.
  const losses = resolveLosses(spec, options.training);
  const optimizer = resolveOptimizer(options.training.optimizer);
  if (!compiled.params.some((p) => p.trainable)) {
    throw new BackendError('config', `model '${spec.name}' has no trainable parameters (all frozen, or none): compile it without \`training\``);
  }
  await loadGradients();
  return exclusive(tf, target.tfBackend, () => new TfjsTrainableModel(tf, compiled, target.name, target.tfBackend, weights, options, { losses, optimizer }));
}

function factoryFor(target: TfjsTarget): BackendFactory {
  const ready = async (): Promise<TF> => {
    try {
      return await startBackend(target);
    } catch (e) {
      if (e instanceof BackendError) throw new BackendError('unavailable', `[${target.name}] ${e.message}`);
      throw e;
    }
  };
  return {
    name: target.name,
    priority: target.priority,
    async probe(): Promise<ProbeResult> {
      try {
        const tf = await startBackend(target);
        return { available: true, details: `tfjs ${tf.version_core}, backend '${target.tfBackend}'` };
      } catch (e) {
        return { available: false, reason: e instanceof Error ? e.message : String(e) };
      }
    },
    async compile(compiled, options) {
      return compileOn(await ready(), target, compiled, options);
    },
    async compileTrainable(compiled, options) {
      return compileTrainableOn(await ready(), target, compiled, options);
    },
    ...(target.memoryModel ? { memoryModel: async () => target.memoryModel!() } : {}),
    async memory(): Promise<BackendMemory> {
      const tf = await ready();
      // Disposals deferred behind running calls land first.
      await whenIdle();
      const m = tf.memory();
      // tfjs-wasm's module exposes its heap; its length is the WebAssembly memory reserved so far (the peak).
      const heap = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.length;
      return { tensors: m.numTensors, bytes: m.numBytes, ...(heap !== undefined ? { reservedBytes: heap } : {}) };
    },
  };
}

export interface TfjsOptions {
  /**
   * Loaders for backend packages, for bundlers that must see literal imports (browser apps):
   * `{ 'tfjs-webgl': () => import('@tensorflow/tfjs-backend-webgl') }`. In Node the defaults import by name.
   */
  loaders?: Partial<Record<TfjsBackendName, Loader>>;
  /** Register only these backends (default: all five). */
  only?: TfjsBackendName[];
  /** The registry to register into (default: @convzoo/backend's process-wide one). */
  registry?: BackendRegistry;
}

const defaultFactories = new Map(targets({}).map((t) => [t.name, factoryFor(t)]));

/** The tfjs factories (new ones when custom loaders are given; the same objects otherwise, so re-registering is harmless). */
export function tfjsFactories(options: Pick<TfjsOptions, 'loaders' | 'only'> = {}): BackendFactory[] {
  const all = options.loaders ? targets(options.loaders).map(factoryFor) : [...defaultFactories.values()];
  return all.filter((f) => !options.only || options.only.includes(f.name as TfjsBackendName));
}

/** Registers tfjs-node, tfjs-webgpu, tfjs-webgl, tfjs-wasm and tfjs-cpu (all train). Safe to call twice. */
export function registerTfjsBackends(options: TfjsOptions = {}): void {
  for (const f of tfjsFactories(options)) {
    if (options.registry) options.registry.register(f, { replace: options.loaders !== undefined });
    else registerBackend(f, { replace: options.loaders !== undefined });
  }
}
