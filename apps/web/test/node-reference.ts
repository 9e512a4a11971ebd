// The same inputs through Node's onnx-cpu backend (onnxruntime-node): the reference every browser backend is held to.
import { readFileSync } from 'node:fs';
import { BackendRegistry, isTrainable, type Model, type WeightMap } from '@convzoo/backend';
import { registerOnnxBackends } from '@convzoo/backend-onnx';
import { specFromJSON } from '@convzoo/models';
import { getPretrained, readSafetensors } from '@convzoo/weights';
import { TRAIN_CHECK_SEED, TRAIN_CHECK_TRAINING, trainCheckBatch, trainCheckSpec } from '../src/train-check-data.js';

export interface Reference {
  resnet(input: Float32Array): Promise<Float32Array>;
  lenet(input: Float32Array): Promise<Float32Array>;
  dispose(): void;
}

export async function nodeReference(publicDir: string): Promise<Reference> {
  const registry = new BackendRegistry();
  registerOnnxBackends(registry);
  const loaded = await getPretrained('resnet50', 'keras-imagenet').load();
  const resnet: Model = await registry.compile(loaded.spec, { backend: 'onnx-cpu', weights: loaded.weights, strictWeights: true });
  const lenetSpec = specFromJSON(readFileSync(`${publicDir}/lenet/spec.json`, 'utf8'));
  const lenetWeights = readSafetensors(readFileSync(`${publicDir}/lenet/weights.safetensors`)).weights;
  const lenet: Model = await registry.compile(lenetSpec, { backend: 'onnx-cpu', weights: lenetWeights, strictWeights: true });
  return {
    resnet: async (input) => (await resnet.predict({ shape: [1, 224, 224, 3], data: input }))[0]!.data,
    lenet: async (input) => (await lenet.predict({ shape: [1, 28, 28, 1], data: input }))[0]!.data,
    dispose: () => {
      resnet.dispose();
      lenet.dispose();
    },
  };
}

export interface TrainingRun {
  losses: number[];
  predictions: Float32Array;
  weights: WeightMap;
}

/** The training self-check's problem (src/train-check-data.ts) for `steps` steps on Node's onnx-cpu. */
export async function nodeTrainingReference(steps: number, model = 'lenet', input?: string): Promise<TrainingRun> {
  const registry = new BackendRegistry();
  registerOnnxBackends(registry);
  const spec = trainCheckSpec(model, input);
  const trainable = await registry.compile(spec, { backend: 'onnx-cpu', training: TRAIN_CHECK_TRAINING, seed: TRAIN_CHECK_SEED });
  try {
    if (!isTrainable(trainable)) throw new Error(`onnx-cpu compiled ${model} without trainStep`);
    const { x, y } = trainCheckBatch(spec);
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push((await trainable.trainStep(x, y)).loss);
    const [predictions] = await trainable.predict(x);
    return { losses, predictions: predictions!.data, weights: await trainable.getWeights() };
  } finally {
    trainable.dispose();
  }
}
