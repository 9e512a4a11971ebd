// The same inputs through Node's onnx-cpu backend (onnxruntime-node): the reference every browser backend is held to.
import { readFileSync } from 'node:fs';
import { BackendRegistry, isTrainable, type Model, type WeightMap } from '@convzoo/backend';
import { registerOnnxBackends } from '@convzoo/backend-onnx';
import { specFromJSON } from '@convzoo/spec';
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
export async function nodeTrainingReference(steps: number): Promise<TrainingRun> {
  const registry = new BackendRegistry();
  registerOnnxBackends(registry);
  const model = await registry.compile(trainCheckSpec(), { backend: 'onnx-cpu', training: TRAIN_CHECK_TRAINING, seed: TRAIN_CHECK_SEED });
  try {
    if (!isTrainable(model)) throw new Error('onnx-cpu compiled LeNet without trainStep');
    const { x, y } = trainCheckBatch();
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push((await model.trainStep(x, y)).loss);
    const [predictions] = await model.predict(x);
    return { losses, predictions: predictions!.data, weights: await model.getWeights() };
  } finally {
    model.dispose();
  }
}
