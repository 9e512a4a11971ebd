// Files that are either absent or complete, for checkpoints, weights and exports alike: write a temp file in the same
// directory, fsync it, rename it over the target (atomic on POSIX), then fsync the directory so the rename itself
// survives a crash. One module, a sync and an async form of the same steps.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** Prefix of temporary names; anything starting with it is an unfinished write and may be deleted. */
export const TEMP_PREFIX = '.tmp-';

export function tempNameFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${process.pid}-${counter++}-${basename(path)}`);
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems (and Windows) refuse fsync on directories; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const toBytes = (data: Uint8Array | string) => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data);

/** Writes `data` to a new file and fsyncs it (no rename): for files inside a directory renamed as a whole. */
export function writeFileSynced(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    const bytes = toBytes(data);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `path` atomically, synchronously. */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  const tmp = tempNameFor(path);
  try {
    writeFileSynced(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(path));
}

/** Writes `data` to `path` atomically, without blocking the event loop during the write. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = tempNameFor(path);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(toBytes(data));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  fsyncDir(dirname(path));
}
