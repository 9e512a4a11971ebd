// Hand-run check (not CI): .keras files written by convzoo load in Keras 3 and predict what convzoo predicts.
//   npx tsx --conditions=source apps/cli/scripts/keras/parity.ts <python-with-keras3> [outdir] [models...]
// For each model: writes <outdir>/<model>.keras (convzoo's Keras export), <model>.input.bin (a seeded batch of 2,
// float32 NHWC) and <model>.out<i>.bin (convzoo's outputs on ONNX Runtime CPU), then runs parity.py with the given
// interpreter, which loads each archive with keras.saving.load_model (no custom objects) and prints the max abs
// difference per output. Exits non-zero when any exceeds 1e-5.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, createRng, initialWeights, type WeightMap } from '@convzoo/backend';
import { registerOnnxBackends } from '@convzoo/backend-onnx';
import { getModel, type ModelSpec } from '@convzoo/models';
import { getPretrained, writeKerasArchive } from '@convzoo/weights';

const [python, outArg, ...only] = process.argv.slice(2);
if (!python) {
  console.error('usage: parity.ts <python> [outdir] [lenet vgg16 googlenet resnet50 ...]');
  process.exit(2);
}
const out = resolve(outArg ?? 'keras-parity');
mkdirSync(out, { recursive: true });

const MODELS: Record<string, () => Promise<{ spec: ModelSpec; weights: WeightMap; note: string }>> = {
  lenet: async () => fresh(getModel('lenet')),
  vgg16: async () => fresh(getModel('vgg16')),
  googlenet: async () => fresh(getModel('googlenet', { flavour: 'tutorial' })),
  resnet50: async () => {
    const { spec, weights } = await getPretrained('resnet50', 'keras-imagenet').load();
    return { spec, weights, note: 'pretrained keras-imagenet weights' };
  },
};
const fresh = (spec: ModelSpec) => ({ spec, weights: initialWeights(spec, { seed: 13 }), note: 'Keras default initialisers, seed 13' });

registerOnnxBackends();
const names = only.length ? only : Object.keys(MODELS);
// Any other registered model as name or name/flavour, e.g. googlenet/torchvision.
for (const n of names) {
  const [model, flavour] = n.split('/');
  MODELS[n] ??= async () => fresh(getModel(model!, flavour ? { flavour } : {}));
}
for (let name of names) {
  const { spec, weights, note } = await MODELS[name]!();
  const keras = await writeKerasArchive(spec, weights);
  name = name.replace('/', '-');
  writeFileSync(join(out, `${name}.keras`), keras);
  const input = spec.layers.find((l) => l.kind === 'input')!;
  if (input.kind !== 'input') throw new Error('no input');
  const shape = [2, ...input.shape];
  const rng = createRng(7);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  // Pixel-like values (0..255, caffe-centred for the ImageNet ResNet) so activations are realistic.
  for (let i = 0; i < data.length; i++) data[i] = name === 'resnet50' ? rng() * 255 - 120 : rng();
  writeFileSync(join(out, `${name}.input.bin`), new Uint8Array(data.buffer));
  const model = await compile(spec, { backend: 'onnx-cpu', weights });
  const outputs = await model.predict({ shape, data });
  model.dispose();
  const list = Array.isArray(outputs) ? outputs : [outputs];
  list.forEach((t, i) => writeFileSync(join(out, `${name}.out${i}.bin`), new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)));
  writeFileSync(join(out, `${name}.json`), JSON.stringify({ input: shape, outputs: list.map((t) => t.shape), note }));
  console.log(`${name}: wrote ${name}.keras (${(keras.length / 1e6).toFixed(1)} MB, ${note}); convzoo outputs ${list.map((t) => `[${t.shape}]`).join(' ')}`);
}
const script = join(dirname(fileURLToPath(import.meta.url)), 'parity.py');
const r = spawnSync(python, [script, out, ...names.map((n) => n.replace('/', '-'))], { stdio: 'inherit', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
process.exit(r.status ?? 1);
