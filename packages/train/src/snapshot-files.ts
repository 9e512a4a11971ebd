// The bytes of a checkpoint, apart from where they are written: saveSnapshot (checkpoint.ts) writes them to disk
// atomically, and a page (@convzoo/train/browser) hands them to the user as a download. One encoder, so a
// checkpoint trained in a browser is the same files `convzoo eval` reads.
import type { OptimizerState, WeightMap } from '@convzoo/backend';
import { writeSafetensors } from '@convzoo/io/browser';
import type { ModelSpec } from '@convzoo/models';
import type { TrainingState } from './training-state.js';

export const POINTER_FILE = 'checkpoint.json';
export const DIGESTS_FILE = 'digests.json';
export const DIGESTS_FORMAT = 'convzoo.snapshot-digests/1';

export interface Pointer {
  format: 'convzoo.checkpoint/1';
  latest: string;
  best?: string;
  /** Snapshot directories in the order written, oldest first. */
  saved: string[];
}

export interface Snapshot {
  spec: ModelSpec;
  weights: WeightMap;
  optimizer?: OptimizerState;
  state: TrainingState;
}

export interface SnapshotDigests {
  format: typeof DIGESTS_FORMAT;
  algorithm: 'sha256';
  /** File name inside the snapshot directory -> lowercase hex sha256 of its bytes. */
  files: Record<string, string>;
}

/** `epoch-0003`: the directory of the snapshot taken after that many epochs. */
export function snapshotName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** The files of one snapshot directory, digests.json aside (it lists these): name -> bytes, in writing order. */
export function snapshotFiles(snap: Snapshot): [name: string, bytes: Uint8Array][] {
  return [
    ['spec.json', json(snap.spec)],
    ['weights.safetensors', writeSafetensors(snap.weights, { format: 'convzoo.weights/1', model: snap.spec.name })],
    ...(snap.optimizer
      ? [['optimizer.safetensors', writeSafetensors(snap.optimizer.slots, { step: String(snap.optimizer.step) })] as [string, Uint8Array]]
      : []),
    ['state.json', json(snap.state)],
  ];
}

export function digestsJson(files: Record<string, string>): string {
  const d: SnapshotDigests = { format: DIGESTS_FORMAT, algorithm: 'sha256', files };
  return `${JSON.stringify(d, null, 2)}\n`;
}

export function pointerJson(pointer: Pointer): string {
  return `${JSON.stringify(pointer, null, 2)}\n`;
}

/**
 * A whole checkpoint directory holding one snapshot, as paths relative to it (`checkpoint.json`,
 * `epoch-0003/spec.json`, ...): what `saveSnapshot` leaves after a first save, for hosts without a file system.
 * `sha256` gives lowercase hex (a page: crypto.subtle; Node: sha256Hex).
 */
export async function checkpointFiles(snap: Snapshot, sha256: (bytes: Uint8Array) => string | Promise<string>): Promise<[path: string, bytes: Uint8Array][]> {
  const name = snapshotName(snap.state.epoch);
  const files = snapshotFiles(snap);
  const digests: Record<string, string> = {};
  for (const [file, bytes] of files) digests[file] = await sha256(bytes);
  const enc = (s: string) => new TextEncoder().encode(s);
  return [
    [POINTER_FILE, enc(pointerJson({ format: 'convzoo.checkpoint/1', latest: name, saved: [name] }))],
    ...files.map(([file, bytes]) => [`${name}/${file}`, bytes] as [string, Uint8Array]),
    [`${name}/${DIGESTS_FILE}`, enc(digestsJson(digests))],
  ];
}
