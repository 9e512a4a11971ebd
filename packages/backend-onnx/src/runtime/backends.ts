// The ONNX Runtime backends as registry factories: one table row per (runtime, execution provider), the rest is
// shared. Every one trains too: the training graphs use standard ONNX ops only (src/train).
import { compileSpec, SpecBuilder } from '@convzoo/models';
import {
  BackendError,
  defaultRegistry,
  initialWeights,
  type BackendFactory,
  type BackendRegistry,
  type CompileOptions,
  type ProbeResult,
} from '@convzoo/backend';
import { parseEngineOptions, type OnnxEngineOptions } from './engine-options.js';
import type { OnnxHost } from './host.js';
import { onnxMemoryModel } from './memory.js';
import { LiveResources } from './live.js';
import { OnnxModel, type SessionFactory } from './onnx-model.js';
import { SerialQueue } from './serial-queue.js';
import { OnnxTrainableModel } from '../train/onnx-trainable.js';
import { nchwcBlock } from './nchwc-probe.js';
import { STATE_CHUNK } from '../train/state-pieces.js';
import type { EngineGraphOptions } from '../train/train-graph.js';
import { loadRuntime, runtimeVersion, type OrtModule, type Runtime } from './ort.js';

interface OnnxBackendDef {
  name: string;
  priority: number;
  runtime: Runtime;
  /** ONNX Runtime execution provider name. */
  ep: 'cpu' | 'cuda' | 'webgpu' | 'wasm';
  /** Provider options convzoo always sets (users may add more through engine.executionProvider). */
  epDefaults?: Record<string, unknown>;
  /** Host checks before any session: a reason when the backend cannot start, else details. */
  prepare?(): Promise<{ reason?: string; details?: string }>;
  /** Whether a tiny session must be created and run to know the backend works (GPU adapters). */
  smokeTest?: boolean;
}

/**
 * How each execution provider's training graphs are built: max-pool gradients from MaxPool's Indices where the EP has
 * them (CPU: MaxUnpool, and the phased first block; CUDA: ScatterElements), else recomputed. `threads`: the WASM
 * threads onnxruntime-web runs with (see wasmThreads); `nchwcBlock`: the CPU EP's channel block (runtime/nchwc-probe.ts).
 */
export function trainGraphOptions(ep: OnnxBackendDef['ep'], threads = 1, nchwcBlock = 0): EngineGraphOptions {
  return {
    nchwcBlock: ep === 'cpu' ? nchwcBlock : 0,
    // Large parameters and slots cross the graph boundary in pieces where they come back to JS each step (the CPU EP;
    // see train/state-pieces.ts).
    stateChunk: ep === 'cpu' ? STATE_CHUNK : 0,
    poolIndices: ep === 'cpu' ? 'unpool' : ep === 'cuda' ? 'scatter' : false,
    dw3d: ep !== 'webgpu',
    // WASM's Slice copies on one thread. resnet20 b128, sessions in turn: 2 threads 1,549 -> 1,268 ms/step unfolded;
    // on 1 thread the taps stay (1,946 against 2,054).
    dwUnfold: ep === 'wasm' && threads > 1,
    col2im: ep === 'cpu' || ep === 'wasm',
    batchNormOperator: ep !== 'webgpu',
    // The CPU EP's BatchNormalization kernel takes epsilon 0 (the centred form's affines); CUDA's clamps it to 1e-5.
    batchNormCentred: ep === 'cpu' || ep === 'wasm',
  };
}

/**
 * The WASM threads onnxruntime-web runs with: env.wasm.numThreads once set (Node sets it, see applyWasmThreads), else
 * its own default: half the cores, at most 4, where threads are possible (a cross-origin isolated page), else 1.
 */
export function wasmThreads(ort: Pick<OrtModule, 'env'>): number {
  const n = ort.env.wasm?.numThreads ?? 0;
  if (n > 0) return n;
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  return g.crossOriginIsolated ? Math.min(4, Math.ceil((g.navigator?.hardwareConcurrency ?? 1) / 2)) : 1;
}

const webgpuBrowserReason = async (): Promise<{ reason?: string; details?: string }> => {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) return { reason: 'navigator.gpu is absent: onnxruntime-web runs WebGPU in browsers (in Node use onnx-webgpu, onnxruntime-node)' };
  return (await gpu.requestAdapter()) ? {} : { reason: 'navigator.gpu.requestAdapter() found no adapter' };
};

/**
 * WebGPU EP: ONNX Runtime 1.30 computes Conv wrongly in its default NHWC layout when the input channel count is a
 * multiple of 3 but not of 4 (6, 9, 15...; max error ~2e-2). NCHW, the graph's own layout, is correct.
 */
const WEBGPU_LAYOUT = { preferredLayout: 'NCHW' };

/** The backend table; the host decides the onnxruntime-node rows (Node checks them, a browser refuses them). */
function onnxBackendDefs(host: OnnxHost): OnnxBackendDef[] {
  return [
    { name: 'onnx-cuda', priority: 90, runtime: 'onnxruntime-node', ep: 'cuda', prepare: () => host.prepareNode('onnx-cuda'), smokeTest: true },
    { name: 'onnx-cpu', priority: 70, runtime: 'onnxruntime-node', ep: 'cpu', prepare: () => host.prepareNode('onnx-cpu') },
    {
      name: 'onnx-webgpu',
      priority: 60,
      runtime: 'onnxruntime-node',
      ep: 'webgpu',
      epDefaults: WEBGPU_LAYOUT,
      prepare: () => host.prepareNode('onnx-webgpu'),
      smokeTest: true,
    },
    {
      name: 'onnx-web-webgpu',
      priority: 55,
      runtime: 'onnxruntime-web',
      ep: 'webgpu',
      epDefaults: WEBGPU_LAYOUT,
      prepare: webgpuBrowserReason,
      smokeTest: true,
    },
    { name: 'onnx-wasm', priority: 40, runtime: 'onnxruntime-web', ep: 'wasm' },
  ];
}

const ORT_LEVEL = { disabled: 'disabled', basic: 'basic', extended: 'extended', all: 'all' } as const;

/**
 * onnxruntime-node's intra-op threads: engine.intraOpNumThreads, else the host's cores (0: ORT's own default, which
 * is one thread on 2 cores). undefined for onnxruntime-web, which takes env.wasm.numThreads instead.
 */
export function intraOpThreads(def: { runtime: Runtime }, o: OnnxEngineOptions, host: Pick<OnnxHost, 'cpuThreads'>): number | undefined {
  if (def.runtime !== 'onnxruntime-node') return o.intraOpNumThreads;
  const n = o.intraOpNumThreads ?? host.cpuThreads?.();
  return n === 0 ? undefined : n;
}

function sessionOptions(def: OnnxBackendDef, o: OnnxEngineOptions, host: OnnxHost): Record<string, unknown> {
  const opts: Record<string, unknown> = {
    executionProviders: [{ name: def.ep, ...def.epDefaults, ...o.executionProvider }],
    graphOptimizationLevel: ORT_LEVEL[o.graphOptimizationLevel ?? 'all'],
    logSeverityLevel: o.logSeverityLevel ?? 3,
  };
  const threads = intraOpThreads(def, o, host);
  if (threads !== undefined) opts.intraOpNumThreads = threads;
  if (o.interOpNumThreads !== undefined) opts.interOpNumThreads = o.interOpNumThreads;
  if (o.executionMode !== undefined) opts.executionMode = o.executionMode;
  if (def.runtime === 'onnxruntime-node') opts.extra = { session: { intra_op: { allow_spinning: o.allowSpinning ? '1' : '0' } } };
  return opts;
}

/**
 * onnxruntime-web reads env.wasm.numThreads once, at its first session; a later, different value cannot apply. In Node
 * the default is the host's cores, as onnx-cpu's (ORT's own, half the cores, is one thread on 2: a ResNet20 step at
 * batch 128 took 1,933 ms on one thread); a browser keeps ORT's default, which leaves cores to the page.
 */
let wasmThreadsFixed: number | undefined;
function applyWasmThreads(def: OnnxBackendDef, ort: OrtModule, o: OnnxEngineOptions, host: Pick<OnnxHost, 'cpuThreads'>): void {
  if (def.runtime !== 'onnxruntime-web' || !ort.env.wasm) return;
  if (wasmThreadsFixed === undefined) {
    const n = o.numThreads ?? host.cpuThreads?.();
    if (n !== undefined) ort.env.wasm.numThreads = n;
    wasmThreadsFixed = ort.env.wasm.numThreads ?? 0;
  } else if (o.numThreads !== undefined && o.numThreads !== wasmThreadsFixed) {
    throw new BackendError(
      'config',
      `${def.name}: engine option numThreads=${o.numThreads} cannot apply: onnxruntime-web already started with ${wasmThreadsFixed} thread(s) in this process (it reads env.wasm.numThreads once); start a new process`,
    );
  }
}

/**
 * onnxruntime-web creates a session inside its wasm behind an await (`await _OrtCreateSession`: asyncify in its
 * JSEP build), and one wasm instance cannot be inside two such calls at once: creations queue, in arrival order (a
 * page may compile a small model and a cached large one together, so the engine starts while the large one is read).
 */
const webSessionCreation = new SerialQueue();
const newSession = (def: OnnxBackendDef, ort: OrtModule, model: Uint8Array | string, options: Record<string, unknown>) =>
  def.runtime === 'onnxruntime-web' ? webSessionCreation.run(() => ort.InferenceSession.create(model, options)) : ort.InferenceSession.create(model, options);

/** A one-layer model run once: proves the provider really starts (adapters, drivers) before a user model does. */
async function smokeRun(def: OnnxBackendDef, ort: OrtModule, host: OnnxHost): Promise<void> {
  // The probe's session starts onnxruntime-web: the thread count it starts with is the one every later model gets, so
  // it is recorded now (a later compile asking for another count is refused, not silently run with this one).
  applyWasmThreads(def, ort, {}, host);
  const b = new SpecBuilder('probe');
  const spec = b.build(b.relu(b.input([2, 2, 1])));
  const model = await OnnxModel.create(compileSpec(spec), def.name, {}, { ort, create: (bytes) => newSession(def, ort, bytes, sessionOptions(def, {}, host)) });
  try {
    const [y] = await model.predict({ shape: [1, 2, 2, 1], data: Float32Array.from([-1, 2, -3, 4]) });
    if (y?.data[1] !== 2 || y.data[0] !== 0) throw new Error(`probe model computed [${y?.data}], expected [0, 2, 0, 4]`);
  } finally {
    model.dispose();
  }
}

/** Cached per backend: probe() and compile() share one start-up check. */
const started = new Map<string, Promise<{ ort: OrtModule; details: string; nchwcBlock: number }>>();

function start(def: OnnxBackendDef, host: OnnxHost): Promise<{ ort: OrtModule; details: string; nchwcBlock: number }> {
  let p = started.get(def.name);
  if (!p) {
    p = (async () => {
      const prep = def.prepare ? await def.prepare() : {};
      if (prep.reason) throw new Error(prep.reason);
      const ort = await loadRuntime(def.runtime);
      if (def.smokeTest) await smokeRun(def, ort, host);
      const threads = intraOpThreads(def, {}, host);
      const threadNote = threads === undefined ? undefined : `${threads} intra-op thread${threads === 1 ? '' : 's'} (engine.intraOpNumThreads), no spinning`;
      const block = def.ep === 'cpu' ? await nchwcBlock(ort) : 0;
      const blockNote = def.ep === 'cpu' ? (block ? `blocked conv, ${block} channels (engine.blockedConv)` : 'no blocked conv') : undefined;
      const details = [runtimeVersion(ort, def.runtime), `EP ${def.ep}`, threadNote, blockNote, prep.details].filter(Boolean).join(', ');
      return { ort, details, nchwcBlock: block };
    })();
    started.set(def.name, p);
  }
  return p;
}

function factory(def: OnnxBackendDef, host: OnnxHost): BackendFactory {
  const live = new LiveResources();
  /** The engine started and its options parsed: what both kinds of model start from. */
  const prepare = async (options: CompileOptions) => {
    const engine = parseEngineOptions(def.name, options.engine);
    let ort: OrtModule;
    let block: number;
    try {
      ({ ort, nchwcBlock: block } = await start(def, host));
    } catch (e) {
      throw new BackendError('unavailable', `[${def.name}] ${(e as Error).message}`);
    }
    applyWasmThreads(def, ort, engine, host);
    const sessions: SessionFactory = {
      ort,
      // A file path costs the JS heap nothing: counted as 0 bytes.
      create: async (model, keepOnDevice = []) => {
        const options = sessionOptions(def, engine, host);
        // WebGPU (onnxruntime-web and -node) keeps such outputs on the GPU. CUDA could too (IO binding), but that is
        // not yet verified on a CUDA machine: onnx-cuda copies them to the host.
        if (def.ep === 'webgpu' && keepOnDevice.length) options.preferredOutputLocation = Object.fromEntries(keepOnDevice.map((n) => [n, 'gpu-buffer']));
        return live.session(await newSession(def, ort, model, options), typeof model === 'string' ? 0 : model.byteLength);
      },
      settle: (p) => live.settle(p),
    };
    return { engine, sessions, nchwcBlock: engine.blockedConv === false ? 0 : block };
  };
  return {
    name: def.name,
    priority: def.priority,
    lazyWeights: true,
    async probe(): Promise<ProbeResult> {
      try {
        return { available: true, details: (await start(def, host)).details };
      } catch (e) {
        return { available: false, reason: (e as Error).message };
      }
    },
    async memoryModel() {
      return onnxMemoryModel(def.ep);
    },
    async compile(compiled, options) {
      const { engine, sessions } = await prepare(options);
      // Inference from weights by key: cached exports (onnxruntime-node: files; onnxruntime-web in a browser: Cache Storage).
      if (options.weightsSource) {
        return OnnxModel.fromSource(compiled, def.name, options.weightsSource, sessions, engine.opset, host.modelCache(def.runtime));
      }
      return OnnxModel.create(compiled, def.name, initialWeights(compiled.spec, options, compiled.params), sessions, engine.opset);
    },
    // Training: graphs with the backward pass and the optimizer written out in standard ops (see train/). Max-pool
    // gradients from MaxPool's Indices where the EP has them (CPU, CUDA).
    async compileTrainable(compiled, options) {
      const { sessions, nchwcBlock } = await prepare(options);
      const weights = initialWeights(compiled.spec, options, compiled.params);
      return OnnxTrainableModel.create(
        compiled,
        def.name,
        weights,
        options.training,
        options.seed ?? 0,
        sessions,
        trainGraphOptions(def.ep, wasmThreads(sessions.ort), nchwcBlock),
      );
    },
    /** Open sessions plus runtime output tensors not yet disposed; bytes: the ONNX model bytes of those sessions. */
    memory: () => live.memory(),
  };
}

export interface OnnxBackends {
  /** The registry factories of every ONNX backend (onnx-cuda, onnx-cpu, onnx-webgpu, onnx-web-webgpu, onnx-wasm). */
  onnxBackendFactories(): BackendFactory[];
  /**
   * Registers the ONNX Runtime backends. Nothing loads until a backend is probed or compiled; runtimes are optional
   * peers (onnxruntime-node for onnx-cpu/-cuda/-webgpu, onnxruntime-web for onnx-wasm/-web-webgpu).
   */
  registerOnnxBackends(registry?: Pick<BackendRegistry, 'register'>): void;
}

/** The backends for one host (each package entry makes one: Node's, or the browser's). */
export function makeOnnxBackends(host: OnnxHost): OnnxBackends {
  let factories: BackendFactory[] | undefined;
  // The same objects every time, so registering twice (CLI and user code) is harmless.
  const onnxBackendFactories = (): BackendFactory[] => (factories ??= onnxBackendDefs(host).map((d) => factory(d, host)));
  return {
    onnxBackendFactories,
    registerOnnxBackends(registry = defaultRegistry) {
      for (const f of onnxBackendFactories()) registry.register(f);
    },
  };
}
