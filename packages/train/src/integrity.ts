// The sha256 of every file of a snapshot, recorded in `digests.json` when the snapshot is written and checked when
// it is read, so a damaged file (a flipped bit in the weights' data, a truncated optimizer state) is refused with an
// error naming the file instead of loading as plausible-looking numbers.
//
// Snapshots written before digests were recorded have no `digests.json`: they load unverified (`verified: false`,
// said by the CLI), since nothing is left to check them against. A `digests.json` that is present but damaged, or a
// file it lists that is missing or differs, always fails.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@convzoo/io';
import { CheckpointError } from './checkpoint-error.js';

import { DIGESTS_FILE, DIGESTS_FORMAT, type SnapshotDigests } from './snapshot-files.js';

export { DIGESTS_FILE, DIGESTS_FORMAT, digestsJson, type SnapshotDigests } from './snapshot-files.js';

export class CheckpointIntegrityError extends CheckpointError {
  constructor(
    message: string,
    /** The damaged or missing file. */
    readonly file: string,
  ) {
    super(message);
    this.name = 'CheckpointIntegrityError';
  }
}

/** The recorded digests of a snapshot directory, or undefined for a snapshot written before they were recorded. */
export function readDigests(dir: string): SnapshotDigests | undefined {
  const path = join(dir, DIGESTS_FILE);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CheckpointIntegrityError(`${path} is damaged: not valid JSON (${(e as Error).message})`, path);
  }
  const d = parsed as Partial<SnapshotDigests> | null;
  const filesOk =
    typeof d?.files === 'object' &&
    d.files !== null &&
    !Array.isArray(d.files) &&
    Object.entries(d.files).every(([k, v]) => !k.includes('/') && !k.includes('\\') && typeof v === 'string' && /^[0-9a-f]{64}$/.test(v));
  if (d?.format !== DIGESTS_FORMAT || d.algorithm !== 'sha256' || !filesOk) {
    throw new CheckpointIntegrityError(`${path} is damaged: expected {format: '${DIGESTS_FORMAT}', algorithm: 'sha256', files: {name: sha256 hex}}`, path);
  }
  return d as SnapshotDigests;
}

/**
 * Checks one file's bytes against the recorded digests. With digests recorded, a file they do not list is refused
 * too (it was not written by the same save).
 */
export function verifyFile(dir: string, file: string, bytes: Uint8Array, digests: SnapshotDigests | undefined): void {
  if (!digests) return;
  const path = join(dir, file);
  const expected = digests.files[file];
  if (expected === undefined) {
    throw new CheckpointIntegrityError(`${path} is not listed in ${join(dir, DIGESTS_FILE)}: it was not written with this snapshot`, path);
  }
  const actual = sha256Hex(bytes);
  if (actual !== expected) {
    throw new CheckpointIntegrityError(
      `${path} is damaged: its sha256 is ${actual} but the checkpoint recorded ${expected} when it was written (refusing to load it; restore the file or use another snapshot)`,
      path,
    );
  }
}

/** Files the digests list that are missing from the directory (a snapshot with a lost file is refused). */
export function checkListedFilesExist(dir: string, digests: SnapshotDigests | undefined): void {
  if (!digests) return;
  for (const file of Object.keys(digests.files)) {
    const path = join(dir, file);
    if (!existsSync(path)) throw new CheckpointIntegrityError(`${path} is missing: ${join(dir, DIGESTS_FILE)} records it`, path);
  }
}
