// An image folder for `convzoo finetune` and `convzoo eval` of a fine-tuned checkpoint: `root/<class>/<image>`,
// classes in sorted order (Keras' image_dataset_from_directory). Every image is decoded and run through the recipe's
// resize and crop once, kept as 8-bit RGB; anything not taken is named, never dropped in silence.
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Tensor } from '@convzoo/backend';
import { decodeImage, IMAGE_EXTENSIONS } from '@convzoo/datasets';
import { imageTransforms, type ImageRecipe } from '@convzoo/image';
import { CliError, EXIT } from './command.js';

export interface FolderImages {
  classNames: string[];
  /** Class index of each image. */
  labels: number[];
  paths: string[];
  /** The recipe's crop of each image, 8-bit RGB [h, w, 3]. */
  crops: Uint8Array[];
  /** Files and folders not taken, with why (not an image, unreadable with --skip-unreadable, outside a class folder). */
  skipped: { path: string; reason: string }[];
  /** Smallest and largest decoded image, "WxH". */
  sizes: { smallest: string; largest: string; distinct: number };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function list(dir: string, option: string): string[] {
  try {
    return readdirSync(dir).sort(byName);
  } catch (e) {
    throw new CliError(`${option} ${dir}: cannot list the folder (${(e as Error).message})`, EXIT.failure);
  }
}

/**
 * Reads `root` with `recipe`. Refused with the culprit named: a folder that is not there (exit 2), fewer than two
 * classes, a class folder with no images, images that cannot be decoded (unless `skipUnreadable`: then skipped and
 * named), and with `expectClasses`, class folders that differ from the checkpoint's classes (all exit 1).
 */
export async function readImageFolder(
  root: string,
  recipe: ImageRecipe,
  options: { option: string; skipUnreadable?: boolean; expectClasses?: readonly string[]; minClasses?: number },
): Promise<FolderImages> {
  const { option } = options;
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`${option} ${root}: no such directory`);
  const skipped: FolderImages['skipped'] = [];
  const classNames: string[] = [];
  for (const name of list(root, option)) {
    if (statSync(join(root, name)).isDirectory()) classNames.push(name);
    else skipped.push({ path: join(root, name), reason: 'a file outside the class folders (expected root/<class>/<image>)' });
  }
  const minClasses = options.minClasses ?? 2;
  if (classNames.length < minClasses) {
    const found = classNames.length ? `only ${classNames.map((c) => `'${c}'`).join(', ')}` : 'none';
    throw new CliError(`${option} ${root}: a classifier needs at least ${minClasses} class folders (root/<class>/<image>), found ${found}`, EXIT.failure);
  }
  if (options.expectClasses && options.expectClasses.join('\n') !== classNames.join('\n')) {
    throw new CliError(
      `${option} ${root}: its classes [${classNames.join(', ')}] are not the checkpoint's [${options.expectClasses.join(', ')}] (same folder names, same order)`,
      EXIT.failure,
    );
  }
  const files: { path: string; label: number }[] = [];
  const empty: string[] = [];
  for (const [label, name] of classNames.entries()) {
    let taken = 0;
    for (const file of list(join(root, name), option)) {
      const path = join(root, name, file);
      if (statSync(path).isDirectory()) skipped.push({ path, reason: 'a folder inside a class folder (not searched)' });
      else if (!IMAGE_EXTENSIONS.includes(extname(file).toLowerCase())) skipped.push({ path, reason: `not an image (${IMAGE_EXTENSIONS.join('/')})` });
      else {
        files.push({ path, label });
        taken++;
      }
    }
    if (taken === 0) empty.push(name);
  }
  if (empty.length > 0) {
    throw new CliError(
      `${option} ${root}: class folder${empty.length > 1 ? 's' : ''} ${empty.map((c) => `'${c}'`).join(', ')} hold${empty.length > 1 ? '' : 's'} no ${IMAGE_EXTENSIONS.join('/')} files`,
      EXIT.failure,
    );
  }

  const transforms = imageTransforms(recipe);
  const out: FolderImages = { classNames, labels: [], paths: [], crops: [], skipped, sizes: { smallest: '', largest: '', distinct: 0 } };
  const unreadable: { path: string; reason: string }[] = [];
  const sizes = new Map<string, number>();
  for (const f of files) {
    let crop: Tensor;
    try {
      const img = await decodeImage(f.path);
      sizes.set(`${img.width}x${img.height}`, img.width * img.height);
      crop = transforms.resizeAndCrop(img);
    } catch (e) {
      unreadable.push({ path: f.path, reason: (e as Error).message });
      continue;
    }
    out.labels.push(f.label);
    out.paths.push(f.path);
    out.crops.push(Uint8Array.from(crop.data, (v) => Math.round(v)));
  }
  if (unreadable.length > 0 && !options.skipUnreadable) {
    const names = unreadable.map((u) => `  ${u.path}: ${u.reason}`).join('\n');
    throw new CliError(
      `${option} ${root}: ${unreadable.length} file${unreadable.length > 1 ? 's' : ''} cannot be read as images (--skip-unreadable skips them):\n${names}`,
      EXIT.failure,
    );
  }
  skipped.push(...unreadable.map((u) => ({ path: u.path, reason: `unreadable: ${u.reason}` })));
  const missing = classNames.filter((_, c) => !out.labels.includes(c));
  if (missing.length > 0) throw new CliError(`${option} ${root}: no readable images left in ${missing.map((c) => `'${c}'`).join(', ')}`, EXIT.failure);
  const bySize = [...sizes.entries()].sort((a, b) => a[1] - b[1]);
  out.sizes = { smallest: bySize[0]![0], largest: bySize.at(-1)![0], distinct: sizes.size };
  return out;
}

/** The model input of crop `i`: the recipe's normalisation on the stored 8-bit crop, [1, h, w, 3]. */
export function folderInput(images: FolderImages, i: number, recipe: ImageRecipe): Tensor {
  const [h, w] = recipe.inputShape;
  const rgb: Tensor = { shape: [1, h, w, 3], data: Float32Array.from(images.crops[i]!) };
  return imageTransforms(recipe).normalize(rgb);
}

/** "3 skipped: a.txt (not an image), ..." lines, for stderr. */
export function describeSkipped(skipped: FolderImages['skipped']): string[] {
  if (skipped.length === 0) return [];
  return [`${skipped.length} file${skipped.length > 1 ? 's' : ''} skipped:`, ...skipped.map((s) => `  ${s.path}: ${s.reason}`)];
}
