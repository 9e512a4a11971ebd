// `root/<class>/<image>` folders, as Keras' image_dataset_from_directory and torchvision's ImageFolder read them:
// classes are the sub-directory names in sorted order, label = index; files sorted within each class.
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DatasetError } from '../errors.js';
import type { ImageSet, Labels } from '../types.js';
import { decodeImage } from './load.js';
import { fitImage, type LoadImageOptions, targetSize } from './pixels.js';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'];

export interface ImageFolderOptions extends LoadImageOptions {
  /** Required: every image becomes [h, w, 3] so they stack into one NHWC array. */
  size: number | [number, number];
  /** Collect unreadable files in `unreadable` instead of throwing on the first one. Default false. */
  skipUnreadable?: boolean;
  /** File extensions taken as images (case-insensitive). Default .jpg .jpeg .png; other files are ignored. */
  extensions?: string[];
}

export interface UnreadableImage {
  path: string;
  reason: string;
}

export interface ImageFolderSet extends ImageSet {
  /** Path of each image, in sample order. */
  paths: string[];
  /** Files skipped because they could not be decoded (only with `skipUnreadable`). */
  unreadable: UnreadableImage[];
}

const DECODE_AHEAD = 4;

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort(byName);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatasetError(`${dir}: cannot list image folder (${reason})`, dir, { cause: err });
  }
}

/**
 * Loads every image under `root/<class>/` into one uint8 NHWC set (x: [n, h, w, 3], read as 0..255 floats, i.e.
 * divisor 1; apply `preprocess` per batch). Each image is decoded, resized and cropped as `loadImage` does.
 */
export async function loadImageFolder(root: string, options: ImageFolderOptions): Promise<ImageFolderSet> {
  const extensions = (options.extensions ?? IMAGE_EXTENSIONS).map((e) => e.toLowerCase());
  const classNames: string[] = [];
  for (const name of await listDir(root)) if ((await stat(join(root, name))).isDirectory()) classNames.push(name);
  if (classNames.length === 0) throw new DatasetError(`${root}: no class sub-directories (expected root/<class>/<image>)`, root);

  const files: { path: string; label: number }[] = [];
  for (const [label, name] of classNames.entries()) {
    for (const file of await listDir(join(root, name))) {
      if (extensions.includes(extname(file).toLowerCase())) files.push({ path: join(root, name, file), label });
    }
  }
  if (files.length === 0) throw new DatasetError(`${root}: no ${extensions.join('/')} files under its class directories`, root);

  const [h, w] = targetSize(options.size);
  // Bad options fail here, once, rather than as one 'unreadable' entry per file.
  fitImage({ width: w, height: h, data: new Uint8Array(w * h * 3) }, options);
  const images = new Uint8Array(files.length * h * w * 3);
  const labels = classNames.length <= 256 ? new Uint8Array(files.length) : new Int32Array(files.length);
  const paths: string[] = [];
  const unreadable: UnreadableImage[] = [];
  // sharp decodes on libuv's thread pool: a few files in flight keep the cores busy; results are kept in file order.
  for (let at = 0; at < files.length; at += DECODE_AHEAD) {
    const group = files.slice(at, at + DECODE_AHEAD);
    const decoded = await Promise.allSettled(group.map((f) => decodeImage(f.path)));
    for (const [i, result] of decoded.entries()) {
      const { path, label } = group[i]!;
      if (result.status === 'rejected') {
        const err: unknown = result.reason;
        if (!options.skipUnreadable || !(err instanceof DatasetError)) throw err;
        unreadable.push({ path, reason: err.message });
        continue;
      }
      const pixels = fitImage(result.value, options);
      images.set(pixels.data, paths.length * h * w * 3);
      labels[paths.length] = label;
      paths.push(path);
    }
  }
  const n = paths.length;
  return {
    x: { shape: [n, h, w, 3], data: images.subarray(0, n * h * w * 3), divisor: 1 },
    y: labels.subarray(0, n) as Labels,
    classNames,
    paths,
    unreadable,
  };
}
