// CIFAR-10, binary version (https://www.cs.toronto.edu/~kriz/cifar.html): each record is 1 label byte then a 32x32
// image as 1024 red, 1024 green, 1024 blue bytes (CHW). Converted here to NHWC, the canonical layout.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from './errors.js';
import type { ImageSet, TrainTest } from './types.js';

export const CIFAR10_CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
export const CIFAR10_TEST_FILE = 'test_batch.bin';

const SIDE = 32;
const PIXELS = SIDE * SIDE;
const RECORD = 1 + 3 * PIXELS; // 3073

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Decodes CIFAR-10 binary records (any number of them) into NHWC bytes and labels. `source` names the file in errors.
 */
export function parseCifarRecords(bytes: Uint8Array, source: string, numClasses = CIFAR10_CLASS_NAMES.length): { images: Uint8Array; labels: Uint8Array } {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    const whole = Math.floor(bytes.length / RECORD);
    throw new DatasetError(
      `${source}: CIFAR-10 file length ${bytes.length} is not a positive multiple of the ${RECORD}-byte record ` +
        `(1 label + 3x32x32 pixels): ${whole} whole records and ${bytes.length - whole * RECORD} bytes left over`,
      source,
    );
  }
  const n = bytes.length / RECORD;
  const images = new Uint8Array(n * 3 * PIXELS);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const rec = i * RECORD;
    const label = bytes[rec] as number;
    if (label >= numClasses) {
      throw new DatasetError(`${source}: record ${i} (byte ${rec}) has label ${label}; expected 0..${numClasses - 1}`, source);
    }
    labels[i] = label;
    const out = i * 3 * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      images[out + 3 * p] = bytes[rec + 1 + p] as number;
      images[out + 3 * p + 1] = bytes[rec + 1 + PIXELS + p] as number;
      images[out + 3 * p + 2] = bytes[rec + 1 + 2 * PIXELS + p] as number;
    }
  }
  return { images, labels };
}

/** Class names from `batches.meta.txt` (one per line) when the directory has it, the standard ten otherwise. */
export async function readCifarClassNames(dir: string): Promise<string[]> {
  const path = join(dir, 'batches.meta.txt');
  if (!(await exists(path))) return [...CIFAR10_CLASS_NAMES];
  const names = (await readFile(path, 'utf8'))
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (names.length === 0) throw new DatasetError(`${path}: no class names in this file`, path);
  return names;
}

/** Reads and concatenates CIFAR-10 batch files into one ImageSet (x: [n, 32, 32, 3] bytes / 255). */
export async function loadCifarFiles(paths: string[], classNames: string[]): Promise<ImageSet> {
  const parts: { images: Uint8Array; labels: Uint8Array }[] = [];
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new DatasetError(`${path}: cannot read CIFAR-10 batch (${reason})`, path, { cause: err });
    }
    parts.push(parseCifarRecords(bytes, path, classNames.length));
  }
  const n = parts.reduce((s, p) => s + p.labels.length, 0);
  const images = parts.length === 1 ? parts[0]!.images : new Uint8Array(n * 3 * PIXELS);
  const labels = parts.length === 1 ? parts[0]!.labels : new Uint8Array(n);
  if (parts.length > 1) {
    let at = 0;
    for (const p of parts) {
      images.set(p.images, at * 3 * PIXELS);
      labels.set(p.labels, at);
      at += p.labels.length;
    }
  }
  return { x: { shape: [n, SIDE, SIDE, 3], data: images, divisor: 255 }, y: labels, classNames };
}

/**
 * CIFAR-10 from the extracted `cifar-10-binary.tar.gz`: `dir` is the `cifar-10-batches-bin` folder or its parent.
 * Train = data_batch_1..5.bin in order (50k), test = test_batch.bin (10k), as Keras' `cifar10.load_data()`.
 */
export async function loadCifar10(options: { dir: string }): Promise<TrainTest> {
  let dir = options.dir;
  if (!(await exists(join(dir, CIFAR10_TEST_FILE))) && (await exists(join(dir, 'cifar-10-batches-bin')))) {
    dir = join(dir, 'cifar-10-batches-bin');
  }
  const wanted = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
  const missing: string[] = [];
  for (const f of wanted) if (!(await exists(join(dir, f)))) missing.push(f);
  if (missing.length > 0) {
    throw new DatasetError(
      `${dir}: CIFAR-10 binary batches missing: ${missing.join(', ')} (expected the contents of cifar-10-binary.tar.gz, ` +
        'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz; no copy ships offline)',
      dir,
    );
  }
  const classNames = await readCifarClassNames(dir);
  return {
    train: await loadCifarFiles(
      CIFAR10_TRAIN_FILES.map((f) => join(dir, f)),
      classNames,
    ),
    test: await loadCifarFiles([join(dir, CIFAR10_TEST_FILE)], classNames),
  };
}
