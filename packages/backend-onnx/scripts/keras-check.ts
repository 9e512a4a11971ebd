// Writes the inputs of scripts/keras-check.py (own check against Keras, outside CI): the all-layer-kinds test spec
// with its seeded weights as JSON, and its ONNX export.
//   npx tsx --conditions=source scripts/keras-check.ts /tmp/kc
//   $PYTHON scripts/keras-check.py /tmp/kc/allkinds.json /tmp/kc/allkinds.onnx
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toOnnx } from '../src/index.js';
import { allKinds, seededWeights } from '../test/helpers.js';

const dir = process.argv[2] ?? '/tmp/convzoo-keras-check';
mkdirSync(dir, { recursive: true });
const spec = allKinds();
const weights = seededWeights(spec, 11);
const plain = Object.fromEntries(Object.entries(weights).map(([n, t]) => [n, { shape: t.shape, data: Array.from(t.data) }]));
writeFileSync(join(dir, 'allkinds.json'), JSON.stringify({ spec, weights: plain }));
writeFileSync(join(dir, 'allkinds.onnx'), toOnnx(spec, weights));
console.log(`wrote ${join(dir, 'allkinds.json')} and ${join(dir, 'allkinds.onnx')}`);
