// `convzoo finetune <model> --data-dir DIR`: transfer learning on the user's own image folder (one sub-folder per
// class), Keras' recipe: the pretrained backbone frozen (BatchNorm in inference mode), its output computed once per
// image and cached, a new softmax head trained on the cache; --unfreeze N trains the last N stages too. The checkpoint
// is `train`'s layout plus the class names and the input recipe, so classify --checkpoint, eval and export read it.
import { join, resolve } from 'node:path';
import { countParams, formatCount } from '@convzoo/models';
import { FinetuneError, finetune, finetuneRecord, finetuneSpec, ProgressBar, progbar, TensorBoard, TrainingCurve, type FinetuneResult } from '@convzoo/train';
import { checkBackendName } from '../backend-names.js';
import { CliError, defineCommand, EXIT, intOption, numberOption, optionTable, type CommandIO } from '../command.js';
import { engineAbortError, isEngineAbort } from '../engine-abort.js';
import { BestEpochSnapshot } from '../finetune-checkpoint.js';
import { describeSkipped, folderInput, readImageFolder } from '../finetune-folder.js';
import { onnxBase, registeredBase } from '../finetune-base.js';
import { modelStem } from '../model-source.js';
import { isOnnxFile } from '../onnx-source.js';
import { claimOut, runLogDir } from '../train-run.js';

const DEFAULTS = { epochs: 10, batchSize: 32, validationSplit: 0.2, learningRate: 1e-3, logdir: 'logs' } as const;

const USAGE = `Usage: convzoo finetune <model | model.onnx> --data-dir DIR [options]

Teaches a pretrained model your own classes (transfer learning, as Keras' guide): DIR holds one sub-folder per
class (JPEG/PNG, any sizes: each image is resized and cropped by the weights' recipe). The pretrained backbone is
frozen (BatchNorm in inference mode) and runs once per image (its features are cached); a new softmax head trains
on them in seconds. --unfreeze N also trains the backbone's last N stages (from cached features of the stage before).
An ONNX file (PyTorch's, Keras') is the backbone with its own weights: its head (what follows its last image-shaped
layer) is cut off and the features pooled globally; its stages are its top-level modules (/layer4/... is layer4).

Options:
  --data-dir DIR          the image folder: DIR/<class>/<image> (required)
  --weights TAG           the backbone's pretrained weights (default the model's first; see convzoo list --pretrained)
  --input HxWxC           input size (default the weights' 224x224x3; smaller is faster, e.g. 160x160x3)
  --unfreeze N            also train the last N stages of the backbone (default 0: only the new head)
  --epochs N              epochs over the cached features (default ${DEFAULTS.epochs})
  --batch-size N          samples per training step (default ${DEFAULTS.batchSize})
  --validation-split F    fraction of each class held out for validation, by --seed (default ${DEFAULTS.validationSplit})
  --learning-rate F       Adam's learning rate (default ${DEFAULTS.learningRate})
  --backend NAME          a trainable backend, or auto (default)
  --seed N                seed of the head's initial weights, the split and the shuffles (default 0)
  --logdir DIR            TensorBoard logs: DIR/<YYYYMMDD-HHMMSS>/train and /validation (default ./logs)
  --out DIR               checkpoint (default ./checkpoints/<model>-finetune); an existing one is refused unless
                          --overwrite
  --overwrite             replace the checkpoint in --out
  --skip-unreadable       skip (and name) images that cannot be decoded instead of refusing the folder
  --offline               never download the pretrained weights
  --preprocessing MODE    .onnx files: how pixels become the input, torch (default: /255, ImageNet mean and std),
                          tf (to -1..1) or caffe (BGR, mean subtracted); images resized as torchvision's recipe

Files that are not images are skipped and named; a class folder with no images, fewer than two classes, or an
image that cannot be decoded (without --skip-unreadable) stop the run (exit 1). Then:
  convzoo classify --checkpoint OUT photo.jpg     convzoo eval OUT --data-dir TESTDIR     convzoo export OUT -o m.onnx`;

/** The feature pass's progress: Keras' bar with images per second, one line at the end when not a terminal. */
function featureProgress(io: CommandIO): (done: number, total: number) => void {
  const start = performance.now();
  return (done, total) => {
    const s = (performance.now() - start) / 1000;
    const line = `features ${progbar(done, total)} ${(done / Math.max(s, 1e-9)).toFixed(1)} img/s${done < total ? `, ETA ${Math.ceil(((total - done) * s) / done)}s` : ` in ${s.toFixed(1)}s`}`;
    if (io.isTTY) process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (done === total) io.out(line);
  };
}

export const finetuneCommand = defineCommand({
  name: 'finetune',
  summary: 'teach a pretrained model your own classes from an image folder (frozen backbone, cached features, new head)',
  usage: USAGE,
  options: optionTable(
    [
      'data-dir',
      'weights',
      'input',
      'unfreeze',
      'epochs',
      'batch-size',
      'validation-split',
      'learning-rate',
      'backend',
      'seed',
      'logdir',
      'out',
      'preprocessing',
    ],
    ['overwrite', 'skip-unreadable', 'offline'],
  ),
  async run({ positionals, values, io }) {
    if (positionals.length !== 1) throw new CliError(`expected one model name or .onnx file, got ${positionals.length}\n\n${USAGE}`);
    const modelName = positionals[0]!;
    const dataDir = values['data-dir'];
    if (dataDir === undefined) throw new CliError(`--data-dir DIR is required (one sub-folder of images per class)\n\n${USAGE}`);
    const base = isOnnxFile(modelName) ? await onnxBase(modelName, values) : registeredBase(modelName, values);
    const { backbone, inputShape, recipe } = base;
    const unfreeze = intOption(values.unfreeze, 'unfreeze', 0, 0);
    const epochs = intOption(values.epochs, 'epochs', DEFAULTS.epochs);
    const batchSize = intOption(values['batch-size'], 'batch-size', DEFAULTS.batchSize);
    const validationSplit = numberOption(values['validation-split'], 'validation-split', DEFAULTS.validationSplit, 0, 0.9);
    const learningRate = numberOption(values['learning-rate'], 'learning-rate', DEFAULTS.learningRate, 0);
    const seed = intOption(values.seed, 'seed', 0, 0);
    const out = values.out ?? join('checkpoints', `${modelStem(modelName)}-finetune`);
    const backend = values.backend ?? 'auto';
    await checkBackendName(backend, 'backend');
    claimOut(out, { resume: false, overwrite: Boolean(values.overwrite), given: values.out !== undefined });
    // --unfreeze beyond the backbone's stages is the command line's mistake (the class count does not matter here).
    try {
      finetuneSpec(backbone, { classes: 2, unfreeze });
    } catch (e) {
      throw new CliError(`--unfreeze ${unfreeze}: ${(e as Error).message}`);
    }

    // The folder is read (and refused) before the 100 MB of weights are fetched or loaded.
    const folder = await readImageFolder(dataDir, recipe, { option: '--data-dir', skipUnreadable: Boolean(values['skip-unreadable']) });
    for (const line of describeSkipped(folder.skipped)) io.err(line);
    const counts = folder.classNames.map((c, i) => `${c} ${folder.labels.filter((l) => l === i).length}`).join(', ');
    io.out(
      `${folder.paths.length} images in ${folder.classNames.length} classes (${counts}); sizes ${folder.sizes.smallest} to ${folder.sizes.largest}, each resized and cropped to ${inputShape[0]}x${inputShape[1]} by ${base.recipeOf}`,
    );

    const weights = await base.loadWeights(io);
    const logs = runLogDir(values.logdir ?? DEFAULTS.logdir, undefined);
    const redraw = io.isTTY ? (c: string) => process.stdout.write(c) : undefined;
    const extra = {
      ...finetuneRecord({ model: modelName, weights: base.weightsId, classNames: folder.classNames, recipe, unfreeze }),
      dataDir: resolve(dataDir),
      batchSize,
      validationSplit,
      run: logs.run,
    };
    const training = { optimizer: { kind: 'adam' as const, learningRate }, loss: 'categoricalCrossentropy' as const };
    const checkpoint = new BestEpochSnapshot({ dir: out, seed, training, extra });
    let result: FinetuneResult;
    try {
      result = await finetune({
        backbone: { spec: backbone, weights },
        images: folder.paths.map((_, i) => () => folderInput(folder, i, recipe)),
        labels: folder.labels,
        classNames: folder.classNames,
        unfreeze,
        backend,
        epochs,
        batchSize,
        validationSplit,
        seed,
        optimizer: training.optimizer,
        onFeatures: featureProgress(io),
        onBackend: (c) => io.out(`Backbone features on backend '${c.backend}'${c.requested === 'auto' ? ' (auto: the best available)' : ''}`),
        callbacks: [
          checkpoint,
          new TensorBoard(logs.dir),
          new TrainingCurve(join(out, 'training-curve.svg'), `${modelName} fine-tuned on ${dataDir}`),
          new ProgressBar({ line: (t) => io.out(t), ...(redraw ? { redraw } : {}) }),
        ],
      });
    } catch (e) {
      if (e instanceof FinetuneError) throw new CliError(e.message, EXIT.failure);
      if (isEngineAbort(e)) throw engineAbortError(e, { backend, batchSize });
      throw e;
    }
    const last = (k: string) => result.history.history[k]?.at(-1);
    const val = last('val_accuracy');
    const params = countParams(result.spec);
    io.out('');
    io.out(
      `Trainable params: ${formatCount(params.trainable)} of ${formatCount(params.total)}. Trained ${result.split.unfrozen.length ? `stages ${result.split.unfrozen.join(', ')} and ` : ''}the new head on ${result.trainCount} images (features cached at '${result.split.cut}', ${result.split.featureShape.join('x')}, in ${result.featureSeconds.toFixed(1)} s; training ${result.trainSeconds.toFixed(1)} s)`,
    );
    if (val !== undefined) io.out(`\nValidation Accuracy:  ${val} (${result.validationCount} held-out images)`);
    io.out(
      `\nCheckpoint: ${out} (${checkpoint.saved ?? 'nothing saved'}: the best epoch by ${checkpoint.monitor})   TensorBoard: tensorboard --logdir ${values.logdir ?? DEFAULTS.logdir} (this run: ${logs.run})`,
    );
    io.out(`Next: convzoo classify --checkpoint ${out} PHOTO...   convzoo eval ${out} --data-dir TESTDIR`);
    return 0;
  },
});
