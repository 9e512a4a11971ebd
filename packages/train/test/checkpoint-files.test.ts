// checkpointFiles (a checkpoint as bytes, what the web page offers as a download) gives exactly the files
// saveSnapshot writes on a first save, and loadCheckpoint reads them back verified.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointFiles, loadCheckpoint, saveSnapshot, sha256Hex } from '../src/index.js';
import { sampleSnapshot } from './sample-snapshot.js';

const snapshot = () => sampleSnapshot({ epoch: 3, history: { epoch: [0, 1, 2], history: { loss: [0.5, 0.4, 0.3] } }, extra: { backend: 'onnx-wasm' } });

const listing = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();

describe('checkpointFiles', () => {
  it('are the bytes saveSnapshot writes on a first save, and loadCheckpoint reads them (digests verified)', async () => {
    const onDisk = mkdtempSync(join(tmpdir(), 'ckpt-files-'));
    saveSnapshot(onDisk, snapshot());
    const files = await checkpointFiles(snapshot(), async (b) => sha256Hex(b));
    expect(files.map(([p]) => p).sort()).toEqual(listing(onDisk));
    for (const [path, bytes] of files) expect(Buffer.from(bytes).equals(readFileSync(join(onDisk, path))), path).toBe(true);

    const fromBytes = mkdtempSync(join(tmpdir(), 'ckpt-bytes-'));
    for (const [path, bytes] of files) {
      mkdirSync(dirname(join(fromBytes, path)), { recursive: true });
      writeFileSync(join(fromBytes, path), bytes);
    }
    const loaded = loadCheckpoint(fromBytes);
    expect(loaded.verified).toBe(true);
    expect(loaded.state.epoch).toBe(3);
    expect(loaded.state.extra).toEqual({ backend: 'onnx-wasm' });
    expect([...loaded.weights['dense/kernel']!.data]).toEqual([0.25, -1, 2, 3]);
    expect(loaded.optimizer?.step).toBe(7);
  });
});
