// The same inputs through Node's onnx-cpu backend (onnxruntime-node): the reference every browser backend is held to.
import { readFileSync } from 'node:fs';
import { BackendRegistry, type Model } from '@convzoo/backend';
import { registerOnnxBackends } from '@convzoo/backend-onnx';
import { specFromJSON } from '@convzoo/spec';
import { getPretrained, readSafetensors } from '@convzoo/weights';

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
