// `convzoo compare <model|spec.json|checkpoint> --backends a,b`: runs one model on two backends layer by layer
// (every layer made a graph output) and prints the max abs/rel difference of every layer and the FIRST layer over
// tolerance: where the backends part ways, when one gives a different answer than the other.
import { existsSync, readFileSync } from 'node:fs';
import { compareLayers, createRng, formatLayerComparison, initWeights, inputShapes, sizeOf, streamSeed, type Tensor, type WeightMap } from '@convzoo/backend';
import type { ModelSpec } from '@convzoo/models';
import { CliError, defineCommand, EXIT, intOption, optionTable } from '../command.js';
import { checkBackendName } from '../backend-names.js';
import { registerBackends } from '../open-model.js';
import { targetError } from '../exit-code.js';
import { loadModelSource } from '../model-source.js';

const USAGE = `Usage: convzoo compare <model | spec.json | checkpoint-dir> --backends A,B [options]

Runs the model on backends A and B with every layer as an output and prints, per layer, the largest absolute and
relative (|a - b| / max(1, max |a|)) difference, then the first layer over the tolerance. Exits 1 when a layer is
over it. Weights: the checkpoint's, else Keras' default initialisers seeded with --seed.

Options:
  --backends A,B     the two backends, e.g. tfjs-cpu,onnx-cpu (see \`convzoo doctor\`)
  --seed N           seed of the input (U(0, 1), one image) and of the weights (default 0)
  --input-file FILE  the input instead: raw float32 little-endian (.bin/.f32, NHWC, any whole number of images)
                     or JSON {"shape": [...], "data": [...]}
  --tolerance X      relative tolerance (default 1e-4, the conformance suite's bound)
  --input HxWxC, --classes N, --flavour X   for registered models, as in \`convzoo summary\` (--input-shape: the
                     old name of --input, still taken)
  --json             print the comparison as JSON`;

/**
 * --input is the model's input shape in every command. Until 0.1 it was compare's data file: a value that is not
 * HxWxC but names a file gets the new option's name instead of a shape error.
 */
function inputShapeOption(values: { input?: string | undefined; 'input-shape'?: string | undefined }): string | undefined {
  const { input, 'input-shape': old } = values;
  if (input !== undefined && old !== undefined) throw new CliError('--input-shape is the old name of --input: give one of them');
  if (input !== undefined && !/^\s*\d+[x,]\d+[x,]\d+\s*$/i.test(input) && (existsSync(input) || /\.(bin|f32|json)$/i.test(input)))
    throw new CliError(`--input is the input shape HxWxC (as in summary, export, train, doctor); for a data file use --input-file ${input}`);
  return input ?? old;
}

function readInput(file: string, spec: ModelSpec): Tensor {
  const shape = inputShapes(spec)[0]!;
  const per = sizeOf(shape);
  if (!existsSync(file)) throw new CliError(`--input-file ${file}: no such file`);
  let data: Float32Array;
  if (file.toLowerCase().endsWith('.json')) {
    let t: { shape?: unknown; data?: unknown };
    try {
      t = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new CliError(`--input-file ${file}: ${(e as Error).message}`, EXIT.failure);
    }
    if (!Array.isArray(t.data) || !t.data.every((v) => typeof v === 'number'))
      throw new CliError(`--input-file ${file}: expected {"shape": [...], "data": [numbers]}`, EXIT.failure);
    data = Float32Array.from(t.data as number[]);
  } else {
    const bytes = readFileSync(file);
    if (bytes.length % 4 !== 0) throw new CliError(`--input-file ${file}: ${bytes.length} bytes is not a whole number of float32 values`, EXIT.failure);
    data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }
  if (data.length === 0 || data.length % per !== 0)
    throw new CliError(`--input-file ${file}: ${data.length} values is not a whole number of [${shape.join(', ')}] images`, EXIT.failure);
  return { shape: [data.length / per, ...shape], data };
}

export const compareCommand = defineCommand({
  name: 'compare',
  summary: 'run a model on two backends layer by layer and name the first layer where they differ',
  usage: USAGE,
  options: optionTable(['backends', 'seed', 'input-file', 'tolerance', 'input', 'input-shape', 'classes', 'flavour'], ['json']),
  async run({ positionals, values, io }) {
    if (positionals.length !== 1) throw new CliError(`expected one model name, spec file or checkpoint directory, got ${positionals.length}\n\n${USAGE}`);
    const backends = (values.backends ?? '')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean);
    if (backends.length !== 2) throw new CliError(`--backends takes two backend names, e.g. --backends tfjs-cpu,onnx-cpu; got '${values.backends ?? ''}'`);
    for (const b of backends) await checkBackendName(b, 'backends', false);
    const input = inputShapeOption(values);
    const seed = intOption(values.seed, 'seed', 0, 0);
    const tolerance = values.tolerance === undefined ? 1e-4 : Number(values.tolerance);
    if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new CliError(`--tolerance must be a number >= 0, got '${values.tolerance}'`);
    let spec: ModelSpec;
    let weights: WeightMap | undefined;
    try {
      ({ spec, weights } = await loadModelSource(positionals[0]!, { input, classes: values.classes, flavour: values.flavour }));
    } catch (e) {
      throw targetError(e);
    }
    const file = values['input-file'];
    if (spec.inputs.length !== 1 && file !== undefined)
      throw new CliError(`--input-file takes one file; '${spec.name}' has ${spec.inputs.length} inputs (use --seed)`);
    const inputs =
      file !== undefined
        ? [readInput(file, spec)]
        : inputShapes(spec).map((shape, i) => {
            const rng = createRng(streamSeed(seed, `input ${spec.inputs[i]}`));
            return { shape: [1, ...shape], data: Float32Array.from({ length: sizeOf(shape) }, rng) };
          });
    registerBackends();
    const result = await compareLayers(spec, [backends[0]!, backends[1]!], { weights: weights ?? initWeights(spec, seed), inputs, tolerance });
    io.out(values.json ? JSON.stringify(result, null, 2) : formatLayerComparison(result));
    return result.firstOver ? 1 : 0;
  },
});
