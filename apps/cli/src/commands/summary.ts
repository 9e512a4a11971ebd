// `convzoo summary <model|spec.json>`: the Keras-style table of a registered architecture or a spec file,
// optionally with cost columns (--analysis) or as JSON (--json).
import { analysisTable, analyze, specToJSON, summary, type ModelSpec } from '@convzoo/models';
import { CliError, defineCommand, optionTable } from '../command.js';
import { targetError } from '../exit-code.js';
import { loadModelSource } from '../model-source.js';

const USAGE = `Usage: convzoo summary <model | spec.json | checkpoint dir | model.onnx> [options]

Prints the layers, output shapes and parameter counts of a model, as Keras' model.summary() does.
<model> is a registered architecture (see \`convzoo list\`); a path ending in .json is read as a spec file, one
ending in .onnx is imported (see \`convzoo import\`), a directory is read as a checkpoint.

Options:
  --input HxWxC    input image shape, e.g. 224x224x3 (registered models only)
  --classes N      number of output classes (registered models only)
  --flavour X      architecture variant, e.g. torchvision or keras (registered models only)
  --analysis       add MACs, activation memory per image and receptive field columns
  --json           print the spec as JSON (with --analysis: the analysis as JSON)`;

export const summaryCommand = defineCommand({
  name: 'summary',
  summary: 'print a model as Keras model.summary() does (shapes, parameters; --analysis adds MACs, memory, receptive field)',
  usage: USAGE,
  options: optionTable(['input', 'classes', 'flavour'], ['analysis', 'json']),
  async run({ positionals, values, io }) {
    if (positionals.length !== 1) throw new CliError(`expected one model name or spec file, got ${positionals.length}\n\n${USAGE}`);
    let spec: ModelSpec;
    try {
      spec = (await loadModelSource(positionals[0]!, values)).spec;
    } catch (e) {
      // a bad spec file is bad data (1); an unknown model or options the architecture cannot take, usage (2)
      throw targetError(e);
    }
    if (values.json) io.out(values.analysis ? JSON.stringify(analyze(spec), null, 2) : specToJSON(spec).trimEnd());
    else io.out(values.analysis ? analysisTable(spec) : summary(spec));
    return 0;
  },
});
