import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIFAR10_CLASS_NAMES, CIFAR10_TRAIN_FILES, loadCifar10, loadDataset, parseCifarRecords } from '../src/index.js';
import { tempDir } from './helpers.js';

/** A record in the real format: label, then 1024 R, 1024 G, 1024 B bytes, values tagged by (record, channel, pixel). */
function record(label: number, seed: number): Uint8Array {
  const r = new Uint8Array(3073);
  r[0] = label;
  for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) r[1 + c * 1024 + p] = (seed * 31 + c * 100 + p) % 256;
  return r;
}

function batch(labels: number[], firstSeed: number): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((l, i) => out.set(record(l, firstSeed + i), i * 3073));
  return out;
}

describe('CIFAR-10 binary batches', async () => {
  const root = await tempDir();
  const dir = join(root, 'cifar-10-batches-bin');
  await mkdir(dir);
  for (const [i, f] of CIFAR10_TRAIN_FILES.entries()) await writeFile(join(dir, f), batch([i, 9 - i], 10 * i));
  await writeFile(join(dir, 'test_batch.bin'), batch([3, 1, 4], 100));

  it('converts CHW records to NHWC and concatenates data_batch_1..5 in order', async () => {
    const { train, test } = await loadDataset('cifar10', { dir: root }); // the parent of cifar-10-batches-bin works too
    expect(train.x.shape).toEqual([10, 32, 32, 3]);
    expect([...train.y]).toEqual([0, 9, 1, 8, 2, 7, 3, 6, 4, 5]);
    expect(test.x.shape).toEqual([3, 32, 32, 3]);
    expect([...test.y]).toEqual([3, 1, 4]);
    expect(train.x.divisor).toBe(255);
    expect(train.classNames).toEqual(CIFAR10_CLASS_NAMES);
    // Sample 3 is record 1 of data_batch_2 (seed 11): pixel p, channel c = (11*31 + 100c + p) % 256.
    const at = (n: number, y: number, x: number, c: number): number => train.x.data[((n * 32 + y) * 32 + x) * 3 + c] as number;
    for (const [y, x] of [
      [0, 0],
      [5, 7],
      [31, 31],
    ] as const) {
      for (let c = 0; c < 3; c++) expect(at(3, y, x, c)).toBe((11 * 31 + c * 100 + y * 32 + x) % 256);
    }
  });

  it('takes class names from batches.meta.txt when present', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    await writeFile(join(dir, 'batches.meta.txt'), `${names.join('\n')}\n\n`);
    const { test } = await loadCifar10({ dir });
    expect(test.classNames).toEqual(names);
  });

  it('rejects a file whose length is not a multiple of 3073, naming it', async () => {
    const bad = await tempDir();
    for (const f of CIFAR10_TRAIN_FILES) await writeFile(join(bad, f), batch([1], 0));
    await writeFile(join(bad, 'test_batch.bin'), batch([1, 2], 0).subarray(0, 3073 + 100));
    await expect(loadCifar10({ dir: bad })).rejects.toThrow(
      /test_batch\.bin: CIFAR-10 file length 3173 is not a positive multiple of the 3073-byte record .*1 whole records and 100 bytes left over/,
    );
    expect(() => parseCifarRecords(new Uint8Array(0), 'empty.bin')).toThrow(/empty\.bin: CIFAR-10 file length 0/);
    expect(() => parseCifarRecords(batch([2, 10], 0), 'x.bin')).toThrow(/x\.bin: record 1 \(byte 3073\) has label 10; expected 0\.\.9/);
  });

  it('lists the missing batch files', async () => {
    const partial = await tempDir();
    await writeFile(join(partial, 'data_batch_1.bin'), batch([1], 0));
    await expect(loadCifar10({ dir: partial })).rejects.toThrow(/batches missing: data_batch_2\.bin, .*data_batch_5\.bin, test_batch\.bin/);
  });
});
