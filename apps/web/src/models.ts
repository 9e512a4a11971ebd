// The two models of the page, compiled on demand per backend. The first prediction after a compile is "cold"
// (shader compilation, wasm start-up, weight upload); later ones are "warm".
import { compile, type Model, type Tensor, type WeightMap, type WeightsSource } from '@convzoo/backend';
import { getModel, specFromJSON, type ModelSpec } from '@convzoo/models';
import { getPretrainedEntry, pretrainedFromFiles, pretrainedKey, readSafetensors, type PretrainedEntry } from '@convzoo/weights/browser';
import { loadPinnedFiles, type LoadEvents, type LoadReport } from './weights-cache.js';

export const RESNET: PretrainedEntry = getPretrainedEntry('resnet50', 'keras_imagenet');
/**
 * The Cache Storage cache the ONNX backends of onnxruntime-web (onnx-wasm, onnx-web-webgpu) keep the exported
 * ResNet50 in (`WeightsSource.cacheDir`): a reload starts from it and reads no weights. Cleared with the weights.
 */
export const MODEL_CACHE = 'convzoo-onnx-models-v1';
/** The Teach section's compiled frozen backbone (ResNet50 without its top), apart so the note above stays true. */
export const BACKBONE_CACHE = 'convzoo-onnx-backbones-v1';
/** The backends that cache their compiled model there (the other backends always load the weights). */
export const CACHES_COMPILED: ReadonlySet<string> = new Set(['onnx-wasm', 'onnx-web-webgpu']);

export interface Timed {
  output: Float32Array;
  ms: number;
  cold: boolean;
  /** The compile before this prediction, if there was one. */
  compileMs?: number;
}

/** A model to compile: its spec, and its weights in memory (LeNet) or by key, loaded only if a backend needs them. */
export interface Loaded {
  spec: ModelSpec;
  weights: WeightMap | WeightsSource;
}

/** One model on one backend at a time; switching backend disposes the previous one. */
export class ModelSlot {
  private model: Model | undefined;
  private backend: string | undefined;
  private predictions = 0;
  private loaded: Promise<Loaded> | undefined;
  /** How long the last compile took (the backend's own start-up included when it was the first). */
  compileMs = 0;

  constructor(private readonly load: () => Promise<Loaded>) {}

  isOpen(backend: string): boolean {
    return this.model !== undefined && this.backend === backend;
  }

  private weights(): Promise<Loaded> {
    this.loaded ??= this.load().catch((e: unknown) => {
      this.loaded = undefined;
      throw e;
    });
    return this.loaded;
  }

  /** Compiles on `backend` if needed. */
  async open(backend: string): Promise<void> {
    if (this.isOpen(backend)) return;
    this.dispose();
    const { spec, weights } = await this.weights();
    const t0 = performance.now();
    const given = 'load' in weights ? { weightsSource: weights as WeightsSource } : { weights: weights as WeightMap, strictWeights: true };
    this.model = await compile(spec, { backend, ...given });
    this.compileMs = performance.now() - t0;
    this.backend = backend;
    this.predictions = 0;
  }

  async predict(backend: string, input: Tensor): Promise<Timed> {
    const compiled = !this.isOpen(backend);
    await this.open(backend);
    const t0 = performance.now();
    let out: Tensor[];
    try {
      out = await this.model!.predict(input);
    } catch (e) {
      // A backend that failed mid-way is not reused: the next call compiles afresh.
      this.dispose();
      throw e;
    }
    const ms = performance.now() - t0;
    const cold = this.predictions++ === 0;
    return compiled ? { output: out[0]!.data, ms, cold, compileMs: this.compileMs } : { output: out[0]!.data, ms, cold };
  }

  dispose(): void {
    this.model?.dispose();
    this.model = undefined;
    this.backend = undefined;
  }

  /** Answers with these weights from now on (a net trained in the page); forget() goes back to the loader's. */
  useWeights(loaded: Loaded): void {
    this.dispose();
    this.loaded = Promise.resolve(loaded);
  }

  /** Disposes the model and lets go of what it loaded (the next use loads it again). */
  forget(): void {
    this.dispose();
    this.loaded = undefined;
  }
}

const asset = (path: string) => new URL(path, document.baseURI).href;
export const RESNET_BASE = (): string => asset('weights/resnet50/');

async function fetchBytes(path: string): Promise<Uint8Array> {
  const res = await fetch(asset(path));
  if (!res.ok) throw new Error(`loading ${path} failed: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export const lenetSlot = new ModelSlot(async () => {
  const spec = specFromJSON(new TextDecoder().decode(await fetchBytes('lenet/spec.json')), 'lenet/spec.json');
  const weights = readSafetensors(await fetchBytes('lenet/weights.safetensors'), 'lenet/weights.safetensors').weights;
  return { spec, weights };
});

/**
 * ResNet50's weights: fetched (or read from Cache Storage), sha256-checked and assembled once per page, and only
 * when a backend asks for them (a cached compiled model does not). `events` hears about the next load it starts.
 */
class PinnedWeights {
  private loaded: Promise<WeightMap> | undefined;
  /** How many loads this page started (a compile that started none ran from a cached model). */
  starts = 0;
  events: (LoadEvents & { onAssembled?(report: LoadReport & { assembleMs: number }): void }) | undefined;

  constructor(private readonly entry: PretrainedEntry) {}

  get inMemory(): boolean {
    return this.loaded !== undefined;
  }

  load(): Promise<WeightMap> {
    this.loaded ??= this.read().catch((e: unknown) => {
      this.loaded = undefined;
      throw e;
    });
    return this.loaded;
  }

  private async read(): Promise<WeightMap> {
    this.starts++;
    const events = this.events;
    const { files, report } = await loadPinnedFiles(this.entry, RESNET_BASE(), events ?? { onBytes: () => {} });
    events?.onFiles?.(report);
    const t0 = performance.now();
    const { weights } = await pretrainedFromFiles(this.entry, files);
    events?.onAssembled?.({ ...report, assembleMs: performance.now() - t0 });
    return weights;
  }

  forget(): void {
    this.loaded = undefined;
  }
}

export const resnetWeights = new PinnedWeights(RESNET);

// The spec comes from the registry's tag (pretrainedFromFiles checks the files agree when they are read); the key is
// the pinned files' sha256s, which every load verifies, so a model cached under it was exported from those weights.
export const resnetSlot = new ModelSlot(async () => ({
  spec: getModel(RESNET.model, { weights: RESNET.tag, includeTop: true }),
  weights: { key: pretrainedKey(RESNET), load: () => resnetWeights.load(), cacheDir: MODEL_CACHE },
}));
