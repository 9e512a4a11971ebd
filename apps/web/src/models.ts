// The two models of the page, compiled on demand per backend. The first prediction after a compile is "cold"
// (shader compilation, wasm start-up, weight upload); later ones are "warm".
import { compile, type Model, type Tensor, type WeightMap } from '@convzoo/backend';
import { specFromJSON, type ModelSpec } from '@convzoo/models';
import { getPretrainedEntry, pretrainedFromFiles, readSafetensors, type PretrainedEntry } from '@convzoo/weights/browser';
import { loadPinnedFiles, type Progress } from './weights-cache.js';

export const RESNET: PretrainedEntry = getPretrainedEntry('resnet50', 'keras_imagenet');

export interface Timed {
  output: Float32Array;
  ms: number;
  cold: boolean;
}

interface Loaded {
  spec: ModelSpec;
  weights: WeightMap;
}

/** One model on one backend at a time; switching backend disposes the previous one. */
export class ModelSlot {
  private model: Model | undefined;
  private backend: string | undefined;
  private predictions = 0;
  private loaded: Promise<Loaded> | undefined;

  constructor(private readonly load: () => Promise<Loaded>) {}

  /** Compiles on `backend` if needed (the weights load once per page). */
  async open(backend: string): Promise<void> {
    if (this.model && this.backend === backend) return;
    this.dispose();
    this.loaded ??= this.load().catch((e: unknown) => {
      this.loaded = undefined;
      throw e;
    });
    const { spec, weights } = await this.loaded;
    this.model = await compile(spec, { backend, weights, strictWeights: true });
    this.backend = backend;
    this.predictions = 0;
  }

  async predict(backend: string, input: Tensor): Promise<Timed> {
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
    return { output: out[0]!.data, ms, cold };
  }

  dispose(): void {
    this.model?.dispose();
    this.model = undefined;
    this.backend = undefined;
  }
}

const asset = (path: string) => new URL(path, document.baseURI).href;

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

export function resnetSlot(onProgress: (p: Progress) => void): ModelSlot {
  return new ModelSlot(async () => {
    const files = await loadPinnedFiles(RESNET, asset('weights/resnet50/'), onProgress);
    return pretrainedFromFiles(RESNET, files);
  });
}
