// Writes layer names/shapes and parameter names/shapes of registered models as JSON, for the Python reference
// checks beside this file (not part of CI). Usage, from packages/models:
//   npx tsx --conditions=source test/architectures/reference/dump-specs.ts /tmp/specs.json
import { writeFileSync } from 'node:fs';
import { getModel, inferShapes, paramInfos } from '../../../src/index.js';

const CASES: [key: string, model: string, options: Record<string, unknown>][] = [
  ['keras/resnet50', 'resnet50', {}],
  ['keras/resnet101', 'resnet101', {}],
  ['keras/resnet152', 'resnet152', {}],
  ['keras/resnet50_notop_64', 'resnet50', { includeTop: false, inputShape: [64, 64, 3] }],
  ['keras/vgg16', 'vgg16', {}],
  ['keras/vgg19', 'vgg19', {}],
  ['tutorial/lenet', 'lenet', {}],
  ['tutorial/alexnet', 'alexnet', {}],
  ['tutorial/googlenet', 'googlenet', {}],
  ['tutorial/resnet_tutorial', 'resnet_tutorial', {}],
  ['torchvision/alexnet', 'alexnet', { flavour: 'torchvision' }],
  ['torchvision/vgg16_bn', 'vgg16_bn', {}],
  ['torchvision/googlenet', 'googlenet', { flavour: 'torchvision', aux: true }],
  ['torchvision/inception_v3', 'inception_v3', { aux: true }],
  ['torchvision/resnet18', 'resnet18', { flavour: 'torchvision' }],
  ['torchvision/resnet50', 'resnet50', { flavour: 'torchvision' }],
  ['torchvision/resnet152', 'resnet152', { flavour: 'torchvision' }],
];

const out: Record<string, unknown> = {};
for (const [key, model, options] of CASES) {
  const spec = getModel(model, options);
  const shapes = inferShapes(spec);
  out[key] = {
    input: spec.layers[0]!.kind === 'input' ? spec.layers[0]!.shape : null,
    layers: spec.layers.map((l) => [l.name, shapes.get(l.name)]),
    outputs: spec.outputs.map((o) => shapes.get(o)),
    params: paramInfos(spec).map((p) => [p.name, p.shape, p.trainable]),
  };
}
const file = process.argv[2] ?? 'specs.json';
writeFileSync(file, JSON.stringify(out));
console.log(`wrote ${Object.keys(out).length} models to ${file}`);
