// `convzoo classify --weights-file FILE`: the pretrained entry's recipe and labels with weights trained elsewhere,
// e.g. ResNet50 fine-tuned in Keras on a cluster. A .keras archive or full-model .h5 brings its own architecture,
// which must take the recipe's input and give the entry's classes; a weights-only .weights.h5 is read into the
// entry's own spec (so the entry's files must be fetched).
import type { WeightMap } from '@convzoo/backend';
import { inferShapes, type ModelSpec } from '@convzoo/models';
import type { LoadedPretrained, PretrainedWeights } from '@convzoo/weights';
import { CliError } from '../command.js';
import { isKerasFile, loadKerasFile } from './export-source.js';

export async function loadWeightsFile(
  path: string,
  entry: PretrainedWeights,
  loadEntry: () => Promise<LoadedPretrained>,
): Promise<{ spec: ModelSpec; weights: WeightMap }> {
  if (!isKerasFile(path)) throw new CliError(`--weights-file '${path}': expected a Keras .keras, .h5 or .weights.h5 file`);
  try {
    if (/\.weights\.h5$/i.test(path)) {
      const { spec } = await loadEntry();
      const { weights } = await loadKerasFile(path, spec);
      return { spec, weights };
    }
    const { spec, weights } = await loadKerasFile(path);
    const shapes = inferShapes(spec);
    const input = shapes.get(spec.inputs[0]!)!;
    const output = shapes.get(spec.outputs[0]!)!;
    const want = entry.meta.recipe.inputShape;
    if (spec.inputs.length !== 1 || input.join('x') !== want.join('x')) {
      throw new CliError(
        `--weights-file '${path}': its model takes [${input.join(', ')}], but ${entry.model} '${entry.name}' images are prepared as [${want.join(', ')}]`,
      );
    }
    if (output.length !== 1 || output[0] !== entry.meta.classes) {
      throw new CliError(
        `--weights-file '${path}': its first output has shape [${output.join(', ')}], but ${entry.model} '${entry.name}' has ${entry.meta.classes} labels`,
      );
    }
    return { spec, weights };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message, 1);
  }
}
