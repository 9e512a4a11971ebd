// Exports every registered architecture, every flavour, to <out-dir>/<model>-<flavour>.onnx with Keras-default
// random weights: at its smallest input by default (fast), or its default input with --full. Used by check-onnx.sh.
//   npx tsx --conditions=source scripts/export-all.ts [--full] [--opset N] <out-dir>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getModel, listModels } from '@convzoo/models';
import { initWeights } from '@convzoo/backend';
import { toOnnx } from '../src/index.js';

const { values, positionals } = parseArgs({ options: { full: { type: 'boolean' }, opset: { type: 'string' } }, allowPositionals: true });
const out = positionals[0];
if (!out) throw new Error('usage: export-all.ts [--full] [--opset N] <out-dir>');
mkdirSync(out, { recursive: true });
const opset = Number(values.opset ?? 13);
for (const info of listModels()) {
  for (const flavour of info.flavours) {
    const shapes = info.inputShapes[flavour]!;
    const inputShape = values.full ? shapes.defaultInputShape : shapes.minInputShape;
    const options: Record<string, unknown> = { inputShape, ...(info.options.includes('flavour') ? { flavour } : {}) };
    const spec = getModel(info.name, options);
    const file = join(out, `${info.name}-${flavour}.onnx`);
    const bytes = toOnnx(spec, initWeights(spec, 0), { opset });
    writeFileSync(file, bytes);
    console.log(`${file}: ${spec.layers.length} layers, input ${inputShape.join('x')}, ${(bytes.length / 1e6).toFixed(1)} MB`);
  }
}
