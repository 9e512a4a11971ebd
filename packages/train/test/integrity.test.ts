// Checkpoint integrity: every file's sha256 is recorded at save and checked at load; a damaged byte is refused with
// an error naming the file; a snapshot written before digests existed still loads, marked unverified.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, CheckpointIntegrityError, DIGESTS_FILE, loadCheckpoint, readDigests, saveSnapshot, sha256Hex } from '../src/index.js';
import { sampleSnapshot } from './sample-snapshot.js';

const snapshot = () => sampleSnapshot();

const saved = () => saveSnapshot(mkdtempSync(join(tmpdir(), 'ckpt-int-')), snapshot());

function flipLastBytes(path: string, count: number): void {
  const b = new Uint8Array(readFileSync(path));
  for (let i = 1; i <= count; i++) b[b.length - i * 2]! ^= 0x5a;
  writeFileSync(path, b);
}

describe('checkpoint digests', () => {
  it('records the sha256 of every file it writes', () => {
    const path = saved();
    const d = readDigests(path)!;
    expect(Object.keys(d.files).sort()).toEqual(['optimizer.safetensors', 'spec.json', 'state.json', 'weights.safetensors']);
    for (const [file, digest] of Object.entries(d.files)) expect(sha256Hex(readFileSync(join(path, file)))).toBe(digest);
    expect(loadCheckpoint(path).verified).toBe(true);
  });

  it.each(['weights.safetensors', 'optimizer.safetensors', 'spec.json', 'state.json'])('refuses %s with bytes flipped inside it', (file) => {
    const path = saved();
    // Flipping bytes of the weights' data keeps a well-formed safetensors file: only the digest can tell.
    if (file.endsWith('.json')) writeFileSync(join(path, file), readFileSync(join(path, file), 'utf8').replace(/1/, '2'));
    else flipLastBytes(join(path, file), 8);
    const err = (() => {
      try {
        loadCheckpoint(path);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CheckpointIntegrityError);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toContain(join(path, file));
    expect((err as Error).message).toMatch(/is damaged: its sha256 is [0-9a-f]{64} but the checkpoint recorded [0-9a-f]{64}/);
  });

  it('refuses a missing file, an unlisted file and a damaged digests.json', () => {
    let path = saved();
    rmSync(join(path, 'optimizer.safetensors'));
    expect(() => loadCheckpoint(path)).toThrow(/optimizer\.safetensors is missing: .*digests\.json records it/);
    path = saved();
    const d = JSON.parse(readFileSync(join(path, DIGESTS_FILE), 'utf8'));
    delete d.files['state.json'];
    writeFileSync(join(path, DIGESTS_FILE), JSON.stringify(d));
    expect(() => loadCheckpoint(path)).toThrow(/state\.json is not listed in .*digests\.json/);
    path = saved();
    writeFileSync(join(path, DIGESTS_FILE), '{"format": "convzoo.snapshot-digests/1", "algorithm": "md5", "files": {}}');
    expect(() => loadCheckpoint(path)).toThrow(CheckpointIntegrityError);
  });

  it('loads a snapshot written before digests were recorded, marked unverified', () => {
    const path = saved();
    rmSync(join(path, DIGESTS_FILE));
    const snap = loadCheckpoint(path);
    expect(snap.verified).toBe(false);
    expect(Array.from(snap.weights['dense/kernel']!.data)).toEqual([0.25, -1, 2, 3]);
  });
});
