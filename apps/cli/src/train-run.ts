// Where one `convzoo train` run writes: its --out checkpoint (never replaced unless asked) and its own TensorBoard
// sub-folder under --logdir, so runs sit side by side in TensorBoard instead of overlaying one train/validation pair.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { POINTER_FILE, readPointer } from '@convzoo/train';
import { CliError } from './command.js';

/** Files `convzoo train` writes into --out besides the snapshots: replaced by --overwrite, left alone otherwise. */
const RUN_FILES = ['training-log.csv', 'training-curve.svg'];

/**
 * Refuses to train over an existing checkpoint unless --resume continues it or --overwrite replaces it (a re-run
 * with the same --out used to replace a finished model silently). --overwrite removes only what train wrote.
 */
export function claimOut(out: string, options: { resume: boolean; overwrite: boolean; given: boolean }): void {
  if (options.resume && options.overwrite) throw new CliError('--resume continues the checkpoint in --out and --overwrite replaces it: give one');
  if (options.resume || !existsSync(join(out, POINTER_FILE))) return;
  if (!options.overwrite) {
    throw new CliError(
      `${options.given ? `--out ${out}` : `${out} (the default --out)`} already holds a checkpoint: --resume continues it, --overwrite trains from scratch in its place, --out DIR writes elsewhere`,
    );
  }
  let pointer: ReturnType<typeof readPointer>;
  try {
    pointer = readPointer(out);
  } catch {
    pointer = undefined; // a damaged pointer: its snapshots are replaced by name as the new run saves
  }
  const snapshots = pointer ? [...pointer.saved, pointer.latest, ...(pointer.best ? [pointer.best] : [])] : [];
  for (const name of [...new Set(snapshots), POINTER_FILE, ...RUN_FILES]) rmSync(join(out, name), { recursive: true, force: true });
}

/** `20261206-231503`: the Keras/TensorBoard run name (logs/fit/%Y%m%d-%H%M%S), in UTC. */
export function timestampName(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/**
 * The run's TensorBoard folder under `logdir`: the recorded one when resuming (its curves continue), else a new
 * timestamped one (`-2`, `-3`... when two runs start in the same second).
 */
export function runLogDir(logdir: string, recorded: string | undefined, now: Date = new Date()): { run: string; dir: string } {
  if (recorded !== undefined && /^[\w.-]+$/.test(recorded)) return { run: recorded, dir: join(logdir, recorded) };
  const base = timestampName(now);
  for (let i = 1; ; i++) {
    const run = i === 1 ? base : `${base}-${i}`;
    if (!existsSync(join(logdir, run))) return { run, dir: join(logdir, run) };
  }
}
