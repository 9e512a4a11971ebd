// The model `convzoo train` starts from: a registered architecture shaped by the data set (or --input, the images
// then resized to it), or a model that brings its own shape (a spec file; an ONNX file, with its weights), which the
// data set must fit as it is: the same image shape and as many classes as the model outputs.
import type { WeightMap } from '@convzoo/backend';
import { withSoftmaxOutput } from '@convzoo/backend-onnx';
import { inferShapes, type ModelSpec, type Shape3 } from '@convzoo/models';
import { CliError } from './command.js';
import { targetError } from './exit-code.js';
import { loadModelSource, type ModelSource } from './model-source.js';
import type { LoadedData } from './train-data.js';

const dims = (shape: readonly number[]) => shape.join('x');

/** Refuses a data set whose images or classes do not fit the model, naming the model, both shapes and the data set. */
function checkFits(source: ModelSource, data: LoadedData, dataset: string): void {
  const { spec, what } = source;
  if (spec.inputs.length !== 1) throw new CliError(`${what} has ${spec.inputs.length} inputs; train feeds one image input`);
  const input = spec.layers.find((l) => l.name === spec.inputs[0]) as { shape: Shape3 };
  if (dims(input.shape) !== dims(data.imageShape)) {
    throw new CliError(
      `${what} takes ${dims(input.shape)} images (HxWxC); ${dataset}'s are ${dims(data.imageShape)}: give a data set of that shape (images are resized only for registered models, by --input)`,
    );
  }
  const out = inferShapes(spec).get(spec.outputs[0]!) ?? [];
  const classes = data.classNames.length;
  if (out.length !== 1 || out[0] !== classes) {
    throw new CliError(
      `${what} outputs [${out.join(', ')}] per image; ${dataset} has ${classes} classes: train a model with ${classes} outputs, or give it a new head with convzoo finetune`,
    );
  }
}

/**
 * The spec (and weights) to train. An ONNX file whose output is logits (PyTorch's) trains through an appended
 * softmax, as the cross-entropy reads probabilities; its checkpoint and exports then output probabilities.
 */
export async function modelToTrain(
  target: string,
  input: string | undefined,
  inputShape: Shape3,
  data: LoadedData,
  dataset: string,
): Promise<{ spec: ModelSpec; weights?: WeightMap }> {
  let source: ModelSource;
  try {
    source = await loadModelSource(target, { input }, { inputShape, classes: data.classNames.length });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`--model ${target}: ${(e as Error).message}`, targetError(e).exitCode);
  }
  if (source.kind === 'registered') return source;
  checkFits(source, data, dataset);
  return source.kind === 'onnx' ? { spec: withSoftmaxOutput(source.spec), ...(source.weights ? { weights: source.weights } : {}) } : source;
}
