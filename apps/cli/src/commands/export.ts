// `convzoo export <model | spec.json | checkpoint-dir> --format onnx -o model.onnx`: writes an ONNX file that keeps
// convzoo's NHWC interface. A checkpoint brings its trained weights; a model name or spec file gets Keras' default
// initialisation from --seed (useful for benchmarks and deployment tests, said on the output).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { getModel, type ModelSpec } from '@convzoo/models';
import { initialWeights, type WeightMap } from '@convzoo/backend';
import { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET, toOnnx } from '@convzoo/backend-onnx';
import { loadCheckpoint } from '@convzoo/train';
import { writeFileAtomic } from '@convzoo/weights';
import { CliError, defineCommand, intOption, optionTable } from '../command.js';
import { targetError } from '../exit-code.js';
import { isSpecFile, modelOptions, readSpecFile, refuseArchitectureOptions } from '../model-target.js';
import { EXPORT_FORMATS, checkFormatOptions, onnxMetadata, writeKeras, writeTriton, type ExportFormat } from './export-formats.js';
import { isKerasFile, loadKerasFile, loadPretrainedSource, type ExtraSource } from './export-source.js';
import { finetunedExport } from '../finetune-checkpoint-data.js';
import { isOnnxFile, loadOnnxFile } from '../onnx-source.js';

const USAGE = `Usage: convzoo export <model | spec.json | checkpoint-dir | model.keras> --format onnx|keras|triton -o OUT [options]

Writes an ONNX model (IR 8, opset ${DEFAULT_OPSET} by default) that ONNX Runtime, Netron or any ONNX tool can load.
Its input is NHWC [batch, H, W, C] like every convzoo model; the graph is NCHW inside.
<checkpoint-dir> is a directory written by \`convzoo train\` (its latest snapshot, or a snapshot directory): the
trained weights are exported. A .keras archive (saved by Keras 3 or convzoo) brings its own weights. A registered
model name gets pretrained weights with --weights NAME, else, like a spec file, freshly initialised ones (--seed).
--format keras writes a Keras 3 .keras archive; --format triton a Triton model repository (docs/scale.md).

Options:
  -o, --output FILE  where to write the model (required)
  --format F         onnx (default), keras, or triton (OUT is then the model repository directory)
  --weights TAG      pretrained weights of a registered model, e.g. resnet50 --weights keras_imagenet (recipe and
                     labels go into the ONNX metadata; fetch first: npm run fetch-weights -w @convzoo/weights)
  --name NAME        triton: the model's name in the repository (default the spec's name)
  --max-batch-size N triton: largest batch for dynamic batching (default 32)
  --instances LIST   triton: instance groups, e.g. gpu:1 (default), cpu:2, gpu:1,cpu:2
  --labels FILE      triton: class labels, one a line, for the first output (pretrained weights bring theirs)
  --opset N          ONNX opset, ${MIN_OPSET} to ${MAX_OPSET} (default ${DEFAULT_OPSET})
  --input HxWxC      input image shape, e.g. 224x224x3 (registered models only)
  --classes N        number of output classes (registered models only)
  --flavour X        architecture variant (registered models only)
  --best             from a checkpoint directory, export the best snapshot instead of the latest
  --seed N           seed of the initial weights of a model name or spec file (default 0)`;

interface Source {
  spec: ModelSpec;
  weights: WeightMap;
  /** Said after the file is written: where the weights came from. */
  origin: string;
  pretrained?: ExtraSource['pretrained'];
}

async function loadSource(target: string, values: Record<string, string | boolean | undefined>): Promise<Source> {
  if (isKerasFile(target)) return loadKerasFile(target);
  if (isOnnxFile(target)) return loadOnnxFile(target);
  if (typeof values.weights === 'string') return loadPretrainedSource(target, values.weights, values);
  const seed = intOption(values.seed as string | undefined, 'seed', 0, 0);
  if (existsSync(target) && statSync(target).isDirectory()) {
    refuseArchitectureOptions(values, `the checkpoint '${target}'`);
    if (values.seed !== undefined) throw new CliError(`--seed applies to models without weights, not to the checkpoint '${target}'`);
    try {
      const snap = loadCheckpoint(target, values.best ? 'best' : 'latest');
      const unverified = snap.verified ? '' : ', unverified: no sha256 digests recorded';
      const finetuned = finetunedExport(snap);
      return {
        spec: snap.spec,
        weights: snap.weights,
        origin: `trained weights of ${snap.path} (${snap.state.epoch} epoch(s)${unverified})`,
        ...(finetuned ? { pretrained: finetuned } : {}),
      };
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
  }
  if (values.best) throw new CliError(`--best applies to checkpoint directories; '${target}' is not one`);
  let spec: ModelSpec;
  if (isSpecFile(target)) {
    refuseArchitectureOptions(values, `the spec file '${target}'`);
    spec = await readSpecFile(target);
  } else {
    spec = getModel(
      target,
      modelOptions({ input: values.input as string | undefined, classes: values.classes as string | undefined, flavour: values.flavour as string | undefined }),
    );
  }
  return { spec, weights: initialWeights(spec, { seed }), origin: `untrained weights (Keras default initialisers, seed ${seed})` };
}

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'write a model or a training checkpoint as ONNX, a Keras 3 .keras archive or a Triton model repository',
  usage: USAGE,
  options: {
    output: { type: 'string', short: 'o' },
    ...optionTable(['format', 'opset', 'input', 'classes', 'flavour', 'seed', 'weights', 'name', 'max-batch-size', 'instances', 'labels'], ['best']),
  },
  async run({ positionals, values, io }) {
    if (positionals.length !== 1) throw new CliError(`expected one model name, spec file or checkpoint directory, got ${positionals.length}\n\n${USAGE}`);
    const format = (values.format ?? 'onnx') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got '${format}'`);
    checkFormatOptions(format, values);
    if (values.output === undefined) throw new CliError(`-o/--output is required: the file to write, e.g. -o model.onnx`);
    const opset = intOption(values.opset, 'opset', DEFAULT_OPSET);
    if (opset < MIN_OPSET || opset > MAX_OPSET) throw new CliError(`--opset must be from ${MIN_OPSET} to ${MAX_OPSET}, got ${opset}`);
    let source: Source;
    try {
      source = await loadSource(positionals[0]!, values);
    } catch (e) {
      throw targetError(e);
    }
    if (format === 'keras') return writeKeras(source, values.output, io.out).then(() => 0);
    if (format === 'triton') return writeTriton(source, values.output, values, opset, io.out).then(() => 0);
    const bytes = toOnnx(source.spec, source.weights, { opset, metadata: onnxMetadata(source) });
    const file = resolve(values.output);
    try {
      await writeFileAtomic(file, bytes);
    } catch (e) {
      throw new CliError(`cannot write '${values.output}': ${(e as Error).message}`, 1);
    }
    const inputs = source.spec.layers.flatMap((l) => (l.kind === 'input' ? [`${l.name} [batch, ${l.shape.join(', ')}]`] : []));
    io.out(`Wrote ${values.output} (${(bytes.length / 1e6).toFixed(2)} MB, ONNX IR 8, opset ${opset}): ${source.spec.name} with ${source.origin}`);
    io.out(`Inputs (NHWC float32): ${inputs.join(', ')}; outputs: ${source.spec.outputs.join(', ')}`);
    return 0;
  },
});
