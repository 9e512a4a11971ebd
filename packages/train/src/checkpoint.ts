// Checkpoints on disk. One directory holds several snapshots and a pointer file:
//   <dir>/checkpoint.json        { latest, best, saved[] }   (replaced atomically: temp + fsync + rename)
//   <dir>/epoch-0003/spec.json, weights.safetensors, optimizer.safetensors, state.json
// A snapshot is written into a `.tmp-*` directory, fsynced, then renamed into place, and only then does the pointer
// move; a crash at any moment leaves the previous snapshot and pointer intact and no half-written file under a final
// name. `.tmp-*` leftovers are unfinished writes, removed by the next save. `digests.json` records every file's sha256
// (integrity.ts); loading verifies them, and checks the spec, the state and that weights match the spec.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkWeights, type OptimizerState, type WeightMap } from '@convzoo/backend';
import { describeValue, specFromJSON } from '@convzoo/models';
import { fsyncDir, readSafetensors, sha256Hex, TEMP_PREFIX, tempNameFor, writeFileAtomicSync, writeFileSynced } from '@convzoo/io';
import { CheckpointError } from './checkpoint-error.js';
import { checkListedFilesExist, readDigests, verifyFile } from './integrity.js';
import { DIGESTS_FILE, digestsJson, POINTER_FILE, pointerJson, snapshotFiles, snapshotName, type Pointer, type Snapshot } from './snapshot-files.js';
import { checkTrainingState } from './state-check.js';
import type { TrainingState } from './training-state.js';

export { POINTER_FILE, type Pointer, type Snapshot };

export interface LoadedSnapshot extends Snapshot {
  /** Directory the snapshot was read from. */
  path: string;
  /** Whether every file was checked against a recorded sha256 (false: a snapshot written before digests existed). */
  verified: boolean;
}

export { CheckpointError };
export type { TrainingState };

function readJson<T>(path: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CheckpointError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new CheckpointError(`${path} is not valid JSON (${(e as Error).message})`);
  }
}

/** A snapshot name the pointer may hold: a plain directory name inside the checkpoint directory. */
const isSnapshotName = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(v) && v.length <= 255;

export function readPointer(dir: string): Pointer | undefined {
  const path = join(dir, POINTER_FILE);
  if (!existsSync(path)) return undefined;
  const p = readJson<Pointer | null>(path);
  if (typeof p !== 'object' || p === null || p.format !== 'convzoo.checkpoint/1') {
    throw new CheckpointError(`${path} is not a convzoo checkpoint pointer (format ${describeValue(p?.format)})`);
  }
  if (!isSnapshotName(p.latest)) throw new CheckpointError(`${path}: field 'latest' must name a snapshot directory, got ${describeValue(p.latest)}`);
  if (p.best !== undefined && !isSnapshotName(p.best))
    throw new CheckpointError(`${path}: field 'best' must name a snapshot directory, got ${describeValue(p.best)}`);
  if (!Array.isArray(p.saved) || !p.saved.every(isSnapshotName))
    throw new CheckpointError(`${path}: field 'saved' must be an array of snapshot directory names`);
  return p;
}

/** A name not referenced by the pointer; an unreferenced leftover of the same name is replaced. */
function freeName(dir: string, base: string, pointer: Pointer | undefined): string {
  const used = new Set([pointer?.latest, pointer?.best].filter(Boolean));
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base}-${i}`;
    if (used.has(name)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    return name;
  }
}

/** Removes unfinished writes (`.tmp-*`) left by a killed process. */
export function removeUnfinished(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name.startsWith(TEMP_PREFIX)) rmSync(join(dir, name), { recursive: true, force: true });
}

export interface SaveOptions {
  /** Make this snapshot the `best` one. */
  best?: boolean;
  /** Snapshots kept besides the best one (oldest removed first). Default 2. */
  keep?: number;
}

/** Writes a snapshot and moves the pointer to it. Returns the snapshot directory. */
export function saveSnapshot(dir: string, snap: Snapshot, options: SaveOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  const pointer = readPointer(dir);
  const name = freeName(dir, snapshotName(snap.state.epoch), pointer);
  const tmp = tempNameFor(join(dir, name));
  mkdirSync(tmp);
  try {
    const digests: Record<string, string> = {};
    const write = (file: string, data: Uint8Array | string) => {
      writeFileSynced(join(tmp, file), data);
      digests[file] = sha256Hex(data);
    };
    for (const [file, bytes] of snapshotFiles(snap)) write(file, bytes);
    writeFileSynced(join(tmp, DIGESTS_FILE), digestsJson(digests));
    fsyncDir(tmp);
    renameSync(tmp, join(dir, name));
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fsyncDir(dir);
  const best = options.best ? name : pointer?.best;
  const saved = [...(pointer?.saved ?? []).filter((s) => s !== name), name];
  const keep = options.keep ?? 2;
  const removable = saved.filter((s) => s !== best);
  const drop = new Set(removable.slice(0, Math.max(0, removable.length - keep)));
  const next: Pointer = { format: 'convzoo.checkpoint/1', latest: name, ...(best ? { best } : {}), saved: saved.filter((s) => !drop.has(s)) };
  writeFileAtomicSync(join(dir, POINTER_FILE), pointerJson(next));
  for (const s of drop) rmSync(join(dir, s), { recursive: true, force: true });
  return join(dir, name);
}

function loadSnapshotDir(path: string): LoadedSnapshot {
  const digests = readDigests(path);
  checkListedFilesExist(path, digests);
  const bytes = (file: string): Uint8Array => {
    let b: Buffer;
    try {
      b = readFileSync(join(path, file));
    } catch (e) {
      throw new CheckpointError(`cannot read ${join(path, file)}: ${(e as Error).message}`);
    }
    const u = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    verifyFile(path, file, u, digests);
    return u;
  };
  const text = (file: string) => new TextDecoder().decode(bytes(file));
  const specPath = join(path, 'spec.json');
  const spec = specFromJSON(text('spec.json'), specPath);
  const weightsPath = join(path, 'weights.safetensors');
  const weights = readSafetensors(bytes('weights.safetensors'), weightsPath).weights;
  // Non-finite values first: in a checkpoint they mean a damaged file, which says more than checkWeights' wording.
  assertFinite(weights, weightsPath);
  checkWeights(spec, weights, { complete: true, source: weightsPath });
  const statePath = join(path, 'state.json');
  const state = existsSync(statePath) ? checkTrainingState(parseJson(text('state.json'), statePath), statePath) : undefined;
  let optimizer: OptimizerState | undefined;
  if (existsSync(join(path, 'optimizer.safetensors'))) {
    const optPath = join(path, 'optimizer.safetensors');
    const file = readSafetensors(bytes('optimizer.safetensors'), optPath);
    const step = Number(file.metadata.step ?? 0);
    if (!Number.isSafeInteger(step) || step < 0)
      throw new CheckpointError(`${optPath}: metadata 'step' must be a non-negative integer, got ${describeValue(file.metadata.step)}`);
    assertFinite(file.weights, optPath);
    optimizer = { step, slots: file.weights };
  }
  return {
    path,
    verified: digests !== undefined,
    spec,
    weights,
    ...(optimizer ? { optimizer } : {}),
    state: state ?? { format: 'convzoo.train-state/1', epoch: 0, history: { epoch: [], history: {} }, seed: 0 },
  };
}

/** Training never saves a NaN/Inf (fit stops on a non-finite loss first), so one in a file is damage. */
function assertFinite(weights: WeightMap, path: string): void {
  for (const [name, t] of Object.entries(weights)) {
    const i = t.data.findIndex((v) => !Number.isFinite(v));
    if (i >= 0)
      throw new CheckpointError(
        `${path}: tensor '${name}' holds ${t.data[i]} at index ${i}; a checkpoint never stores non-finite values, so the file is damaged`,
      );
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`${path} is not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Reads a checkpoint: a directory with `checkpoint.json` (its latest snapshot, or the best with which='best'),
 * or a snapshot directory itself (spec.json + weights.safetensors).
 */
export function loadCheckpoint(dir: string, which: 'latest' | 'best' = 'latest'): LoadedSnapshot {
  if (!existsSync(dir)) throw new CheckpointError(`checkpoint directory ${dir} does not exist`);
  const pointer = readPointer(dir);
  if (pointer) {
    const name = which === 'best' ? pointer.best : pointer.latest;
    if (!name) throw new CheckpointError(`${join(dir, POINTER_FILE)} records no best snapshot`);
    return loadSnapshotDir(join(dir, name));
  }
  if (existsSync(join(dir, 'spec.json'))) return loadSnapshotDir(dir);
  throw new CheckpointError(`${dir} holds no checkpoint (neither ${POINTER_FILE} nor spec.json)`);
}
