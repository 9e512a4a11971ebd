// `convzoo import model.onnx -o DIR`: an ONNX CNN (PyTorch's torch.onnx.export, Keras' export) as a convzoo checkpoint
// directory (spec.json + weights.safetensors, digests), which every command takes as a model.
import { existsSync } from 'node:fs';
import { countParams } from '@convzoo/models';
import { readPointer, saveSnapshot } from '@convzoo/train';
import { CliError, defineCommand, optionTable } from '../command.js';
import { importedState, isOnnxFile, loadOnnxFile } from '../onnx-source.js';

const USAGE = `Usage: convzoo import <model.onnx> -o <dir> [options]

Imports an ONNX CNN (Conv, Gemm/MatMul, BatchNormalization, pooling, Concat, Add, ... opsets 11-21) into a checkpoint
directory that summary, eval, compare and export take as a model (they also take the .onnx file itself). Layers are
named after the ONNX nodes. Ops convzoo cannot express are refused naming the node, op and opset (exit 1).
An NCHW (PyTorch) model becomes an NHWC convzoo model: feed images as [N, H, W, C].

Options:
  -o, --out DIR      the checkpoint directory to write
  --overwrite        replace a checkpoint already in DIR`;

export const importCommand = defineCommand({
  name: 'import',
  summary: 'import an ONNX CNN (from PyTorch or Keras) as a checkpoint directory every command takes',
  usage: USAGE,
  options: { ...optionTable(['out'], ['overwrite']), out: { type: 'string', short: 'o' } },
  async run({ positionals, values, io }) {
    if (positionals.length !== 1) throw new CliError(`expected one .onnx file, got ${positionals.length}\n\n${USAGE}`);
    const file = positionals[0]!;
    if (!isOnnxFile(file)) throw new CliError(`'${file}' is not an .onnx file`);
    if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
    const out = values.out;
    if (out === undefined) throw new CliError(`--out DIR is required\n\n${USAGE}`);
    if (readPointer(out) && !values.overwrite) throw new CliError(`--out ${out} already holds a checkpoint; pass --overwrite to replace it`);
    const source = await loadOnnxFile(file);
    const dir = saveSnapshot(out, { spec: source.spec, weights: source.weights, state: importedState(source, file) });
    const params = countParams(source.spec);
    const [h, w, c] = (source.spec.layers[0] as { shape: number[] }).shape;
    io.out(`Imported ${file}: ${source.spec.layers.length} layers, ${params.total.toLocaleString('en-US')} parameters (opset ${source.opset})`);
    io.out(`Input: ${source.inputLayout} in the file; convzoo takes NHWC [N, ${h}, ${w}, ${c}]`);
    io.out(`Wrote ${dir}`);
    return 0;
  },
});
