// What a fine-tuned checkpoint (`convzoo finetune`) records for the commands that read it: its class names and the
// input recipe, and its test data from an image folder of the same classes (`convzoo eval CKPT --data-dir TESTDIR`).
import type { Tensor } from '@convzoo/backend';
import { readFinetuneRecord, type FinetuneRecord, type LoadedSnapshot, type Samples } from '@convzoo/train';
import { listPretrained, type PretrainedMeta } from '@convzoo/weights';
import { CliError, EXIT } from './command.js';
import { describeSkipped, folderInput, readImageFolder } from './finetune-folder.js';

/** The class names and recipe of a fine-tuned snapshot; undefined for other checkpoints. */
export function finetunedRecord(snap: LoadedSnapshot): FinetuneRecord | undefined {
  const record = readFinetuneRecord(snap.state.extra);
  if (record instanceof Error) throw new CliError(`${snap.path}/state.json: a fine-tuned checkpoint with ${record.message}`, EXIT.failure);
  return record;
}

/** An image folder of the checkpoint's classes as test samples (recipe applied, one-hot labels). */
export async function folderTestData(
  record: FinetuneRecord,
  dataDir: string | undefined,
  limit: number | undefined,
  err: (t: string) => void,
): Promise<Samples> {
  if (dataDir === undefined) throw new CliError('--data-dir TESTDIR is required for a fine-tuned checkpoint: an image folder with one sub-folder per class');
  const folder = await readImageFolder(dataDir, record.recipe, { option: '--data-dir', expectClasses: record.classNames });
  for (const line of describeSkipped(folder.skipped)) err(line);
  const n = Math.min(limit ?? folder.paths.length, folder.paths.length);
  const [h, w, c] = record.recipe.inputShape;
  const per = h * w * c;
  const x: Tensor = { shape: [n, h, w, c], data: new Float32Array(n * per) };
  const classes = record.classNames.length;
  const y: Tensor = { shape: [n, classes], data: new Float32Array(n * classes) };
  for (let i = 0; i < n; i++) {
    x.data.set(folderInput(folder, i, record.recipe).data, i * per);
    y.data[i * classes + folder.labels[i]!] = 1;
  }
  return { x, y };
}

/**
 * A fine-tuned checkpoint as export's `pretrained` part: its class names and recipe go into the ONNX metadata
 * (convzoo.labels, convzoo.recipe) and a Triton repository's labels, as a pretrained model's do.
 */
export function finetunedExport(snap: LoadedSnapshot): { id: string; tag: string; meta: PretrainedMeta } | undefined {
  const record = finetunedRecord(snap);
  if (!record) return undefined;
  const tag = record.weights || 'unknown';
  const base = listPretrained().find((e) => e.id === tag);
  return {
    id: `${snap.spec.name} fine-tuned from ${tag}`,
    tag,
    meta: {
      classes: record.classNames.length,
      labels: record.classNames,
      recipe: record.recipe,
      license: base ? `backbone weights: ${base.meta.license}` : 'unknown',
      description: `${tag} with a new ${record.classNames.length}-class head (convzoo finetune)`,
    },
  };
}
