// `convzoo summary <model|spec.json>`: the Keras-style table of a registered architecture or a spec file,
// optionally with cost columns (--analysis) or as JSON (--json).
import { readFile } from 'node:fs/promises';
import { analysisTable, analyze, getModel, specFromJSON, specToJSON, summary, SpecError, type ModelSpec, type Shape3 } from '@convzoo/spec';
import { CliError, defineCommand, intOption } from '../command.js';

const USAGE = `Usage: convzoo summary <model | spec.json> [options]

Prints the layers, output shapes and parameter counts of a model, as Keras' model.summary() does.
<model> is a registered architecture (see \`convzoo list\`); a path ending in .json is read as a spec file.

Options:
  --input HxWxC    input image shape, e.g. 224x224x3 (registered models only)
  --classes N      number of output classes (registered models only)
  --flavour X      architecture variant, e.g. torchvision or keras (registered models only)
  --analysis       add MACs, activation memory per image and receptive field columns
  --json           print the spec as JSON (with --analysis: the analysis as JSON)`;

/** "224x224x3" -> [224, 224, 3], naming the option when the text is not that. */
export function parseInputShape(text: string): Shape3 {
  const m = /^(\d+)[x,](\d+)[x,](\d+)$/i.exec(text.trim());
  const dims = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [];
  if (dims.length !== 3 || dims.some((d) => d < 1)) {
    throw new CliError(`--input must be HxWxC with positive integers, e.g. 224x224x3, got '${text}'`);
  }
  return dims as Shape3;
}

/** `--input`, `--classes`, `--flavour` as `getModel` options: one reading for every command that builds a model. */
export function modelOptions(values: { input?: string | undefined; classes?: string | undefined; flavour?: string | undefined }): Record<string, unknown> {
  return {
    ...(values.input !== undefined ? { inputShape: parseInputShape(values.input) } : {}),
    ...(values.classes !== undefined ? { classes: intOption(values.classes, 'classes', 1) } : {}),
    ...(values.flavour !== undefined ? { flavour: values.flavour } : {}),
  };
}

const isSpecFile = (arg: string) => arg.toLowerCase().endsWith('.json');

async function loadSpec(target: string, values: { input?: string; classes?: string; flavour?: string }): Promise<ModelSpec> {
  if (isSpecFile(target)) {
    const given = (['input', 'classes', 'flavour'] as const).filter((k) => values[k] !== undefined);
    if (given.length) throw new CliError(`--${given[0]} applies to registered models, not to the spec file '${target}'`);
    let text: string;
    try {
      text = await readFile(target, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read spec file '${target}': ${(e as Error).message}`);
    }
    return specFromJSON(text, target);
  }
  return getModel(target, modelOptions(values));
}

export const summaryCommand = defineCommand({
  name: 'summary',
  summary: 'print a model as Keras model.summary() does (shapes, parameters; --analysis adds MACs, memory, receptive field)',
  usage: USAGE,
  options: {
    input: { type: 'string' },
    classes: { type: 'string' },
    flavour: { type: 'string' },
    analysis: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values, io }) {
    if (positionals.length !== 1) throw new CliError(`expected one model name or spec file, got ${positionals.length}\n\n${USAGE}`);
    let spec: ModelSpec;
    try {
      spec = await loadSpec(positionals[0]!, values);
    } catch (e) {
      // a bad file, an unknown model or options the architecture cannot take are the user's to fix
      if (e instanceof CliError) throw e;
      if (e instanceof SpecError || e instanceof Error) throw new CliError(e.message);
      throw e;
    }
    if (values.json) io.out(values.analysis ? JSON.stringify(analyze(spec), null, 2) : specToJSON(spec).trimEnd());
    else io.out(values.analysis ? analysisTable(spec) : summary(spec));
    return 0;
  },
});
