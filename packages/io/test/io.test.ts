// The I/O room: safetensors round trip through files, and writes that leave either nothing or the whole file.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSafetensors, saveSafetensors, TEMP_PREFIX, writeFileAtomic, writeFileAtomicSync } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'convzoo-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('@convzoo/io', () => {
  it('saves and loads safetensors through a file, metadata included', async () => {
    const path = join(dir, 'w.safetensors');
    const weights = {
      'dense/kernel': { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      'dense/bias': { shape: [3], data: Float32Array.from([-1, 0, 1]) },
    };
    await saveSafetensors(path, weights, { format: 'pt' });
    const back = await loadSafetensors(path);
    expect(back.weights).toEqual(weights);
    expect(back.metadata).toEqual({ format: 'pt' });
  });

  it('replaces a file atomically, sync and async, and leaves no temp file behind', async () => {
    const path = join(dir, 'pointer.json');
    writeFileSync(path, 'old');
    writeFileAtomicSync(path, 'new (sync)');
    expect(readFileSync(path, 'utf8')).toBe('new (sync)');
    await writeFileAtomic(path, new TextEncoder().encode('new (async)'));
    expect(readFileSync(path, 'utf8')).toBe('new (async)');
    expect(readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX))).toEqual([]);
  });

  it('a write that cannot happen throws the system error and leaves no temp file', async () => {
    const path = join(dir, 'missing-dir', 'x.bin');
    await expect(writeFileAtomic(path, new Uint8Array(4))).rejects.toThrow(/ENOENT/);
    expect(() => writeFileAtomicSync(path, 'x')).toThrow(/ENOENT/);
    expect(readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX))).toEqual([]);
  });
});
