// The CLI half of the bad-input sweep: a sample of damaged files through real `convzoo` processes. Each must exit
// non-zero with one line naming the file, and no stack trace. Includes issue 12's case: 8 flipped bytes inside a
// checkpoint's weight data used to give `convzoo eval` exit 0 and 13.8% accuracy.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialWeights } from '@convzoo/backend';
import { getModel, specToJSON } from '@convzoo/models';
import { DIGESTS_FILE, saveSnapshot } from '@convzoo/train';
import { describe, expect, it } from 'vitest';
import { scratch, smallCifar, smallMnist } from './train-fixtures.js';
import { spawnCli, expectSuccess } from './cli-runner.js';

async function convzoo(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const run = spawnCli(args);
  const { code } = await run.done;
  return { code, out: run.out(), err: run.err() };
}

function flipDataBytes(file: string, count: number): void {
  const b = new Uint8Array(readFileSync(file));
  const n = Number(new DataView(b.buffer).getBigUint64(0, true));
  const start = 8 + n;
  for (let i = 0; i < count; i++) b[start + Math.floor(((i + 1) * (b.length - start)) / (count + 1))]! ^= 0x40;
  writeFileSync(file, b);
}

describe('convzoo on damaged files (spawned processes)', () => {
  it('exits non-zero with a named one-line error and no stack trace', async () => {
    const work = scratch();
    const mnist = smallMnist(64, 64);
    const spec = getModel('lenet');
    const ckpt = join(work, 'ckpt');
    const snap = saveSnapshot(ckpt, {
      spec,
      weights: initialWeights(spec, { seed: 1 }),
      state: {
        format: 'convzoo.train-state/1',
        epoch: 1,
        history: { epoch: [0], history: { loss: [1] } },
        seed: 1,
        extra: { dataset: 'mnist', dataDir: mnist },
      },
    });
    const copy = (name: string, edit: (snapDir: string) => void) => {
      const dir = join(work, name);
      cpSync(ckpt, dir, { recursive: true });
      edit(join(dir, 'epoch-0001'));
      return dir;
    };
    const flipped = copy('flipped', (d) => flipDataBytes(join(d, 'weights.safetensors'), 8));
    const legacyTruncated = copy('legacy-truncated', (d) => {
      rmSync(join(d, DIGESTS_FILE));
      writeFileSync(join(d, 'weights.safetensors'), readFileSync(join(d, 'weights.safetensors')).subarray(0, 5000));
    });
    const legacyNan = copy('legacy-nan', (d) => {
      rmSync(join(d, DIGESTS_FILE));
      const f = join(d, 'weights.safetensors');
      const b = new Uint8Array(readFileSync(f));
      new DataView(b.buffer).setFloat32(b.length - 4, Number.NaN, true);
      writeFileSync(f, b);
    });
    const hugeSpec = join(work, 'huge.json');
    writeFileSync(hugeSpec, specToJSON(spec).replace('"filters": 20', '"filters": 1000000000000'));
    const deepSpec = join(work, 'deep.json');
    writeFileSync(deepSpec, specToJSON(spec).replace('"shape": [28, 28, 1]', `"shape": ${'['.repeat(100_000)}${']'.repeat(100_000)}`));
    const badIdx = smallMnist(64, 64);
    writeFileSync(join(badIdx, 'train-images-idx3-ubyte'), readFileSync(join(badIdx, 'train-images-idx3-ubyte')).subarray(0, 30_000));
    const badCifar = smallCifar(2);
    const cifarFile = join(badCifar, 'data_batch_3.bin');
    const c = new Uint8Array(readFileSync(cifarFile));
    c[3073] = 200;
    writeFileSync(cifarFile, c);

    const cases: { args: string[]; names: string; says: RegExp }[] = [
      { args: ['eval', flipped], names: join(flipped, 'epoch-0001', 'weights.safetensors'), says: /is damaged: its sha256 is/ },
      { args: ['train', '--resume', '--out', flipped, '--epochs', '2', '--logdir', join(work, 'logs')], names: 'weights.safetensors', says: /is damaged/ },
      { args: ['export', flipped, '-o', join(work, 'x.onnx')], names: 'weights.safetensors', says: /is damaged/ },
      { args: ['eval', legacyTruncated], names: join(legacyTruncated, 'epoch-0001', 'weights.safetensors'), says: /runs past|past the|shorter|offsets/ },
      { args: ['export', legacyNan, '-o', join(work, 'y.onnx')], names: 'weights.safetensors', says: /holds NaN at index/ },
      { args: ['export', hugeSpec, '-o', join(work, 'z.onnx')], names: hugeSpec, says: /\[too-large\] .*needs [\d,]+ float32 values/ },
      { args: ['export', deepSpec, '-o', join(work, 'w.onnx')], names: deepSpec, says: /\[field\] field 'shape'/ },
      {
        args: ['train', '--data-dir', badIdx, '--epochs', '1', '--out', join(work, 'o1'), '--logdir', join(work, 'logs')],
        names: join(badIdx, 'train-images-idx3-ubyte'),
        says: /truncated/,
      },
      {
        args: ['train', '--dataset', 'cifar10', '--data-dir', badCifar, '--epochs', '1', '--out', join(work, 'o2'), '--logdir', join(work, 'logs')],
        names: cifarFile,
        says: /record 1 .* has label 200/,
      },
    ];
    const results: Awaited<ReturnType<typeof convzoo>>[] = [];
    // Two at a time: the machine has two cores.
    for (let i = 0; i < cases.length; i += 2) results.push(...(await Promise.all(cases.slice(i, i + 2).map((k) => convzoo(k.args)))));
    cases.forEach((k, i) => {
      const r = results[i]!;
      const label = `convzoo ${k.args.join(' ')}\n${r.err}`;
      expect(r.code, label).not.toBe(0);
      expect(r.code, label).not.toBeNull();
      expect(r.err, label).toContain(k.names);
      expect(r.err, label).toMatch(k.says);
      expect(r.err, label).not.toMatch(/^\s+at /m);
      expect(r.err.trim().split('\n'), label).toHaveLength(1);
    });
    console.log(`CLI sample: ${cases.length} damaged inputs, ${cases.length} non-zero exits with a named error, 0 stack traces`);

    // The intact checkpoint still evaluates.
    const ok = await convzoo(['eval', ckpt, '--backend', 'tfjs-cpu']);
    expectSuccess(ok);
    expect(snap).toBe(join(ckpt, 'epoch-0001'));
  }, 120_000);
});
