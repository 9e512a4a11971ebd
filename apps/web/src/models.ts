// The two models of the page, compiled on demand per backend. The first prediction after a compile is "cold"
// (shader compilation, wasm start-up, weight upload); later ones are "warm".
import { compile, type Model, type Tensor, type WeightMap } from '@convzoo/backend';
import { specFromJSON, type ModelSpec } from '@convzoo/models';
import { getPretrainedEntry, pretrainedFromFiles, readSafetensors, type PretrainedEntry } from '@convzoo/weights/browser';
import { loadPinnedFiles, type LoadEvents, type LoadReport } from './weights-cache.js';

export const RESNET: PretrainedEntry = getPretrainedEntry('resnet50', 'keras_imagenet');

export interface Timed {
  output: Float32Array;
  ms: number;
  cold: boolean;
  /** The compile before this prediction, if there was one. */
  compileMs?: number;
}

export interface Loaded {
  spec: ModelSpec;
  weights: WeightMap;
  /** Where the loading time went (the ResNet50 files); absent for the small bundled LeNet. */
  report?: LoadReport & { assembleMs: number };
}

/** One model on one backend at a time; switching backend disposes the previous one. */
export class ModelSlot {
  private model: Model | undefined;
  private backend: string | undefined;
  private predictions = 0;
  private loaded: Promise<Loaded> | undefined;
  /** How long the last compile took (the backend's own start-up included when it was the first). */
  compileMs = 0;

  constructor(private readonly load: (events?: LoadEvents) => Promise<Loaded>) {}

  /** Whether the weights are loaded or loading (the next open() reads nothing). */
  get hasWeights(): boolean {
    return this.loaded !== undefined;
  }

  isOpen(backend: string): boolean {
    return this.model !== undefined && this.backend === backend;
  }

  /** The weights, loaded once per page; `events` hears about this load only when it starts it. */
  weights(events?: LoadEvents): Promise<Loaded> {
    this.loaded ??= this.load(events).catch((e: unknown) => {
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
    this.model = await compile(spec, { backend, weights, strictWeights: true });
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

  /** Disposes the model and lets go of the weights (the next use loads them again). */
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

export const resnetSlot = new ModelSlot(async (events) => {
  const { files, report } = await loadPinnedFiles(RESNET, RESNET_BASE(), events ?? { onBytes: () => {} });
  events?.onFiles?.(report);
  const t0 = performance.now();
  const loaded = await pretrainedFromFiles(RESNET, files);
  return { ...loaded, report: { ...report, assembleMs: performance.now() - t0 } };
});
