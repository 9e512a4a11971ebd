// The exit code of an error that reached the dispatcher (the table is EXIT in command.ts): the same fault gives the
// same code whichever command meets it.
import { BackendError } from '@convzoo/backend';
import { SpecError } from '@convzoo/models';
import { CheckpointError } from '@convzoo/train';
import { CliError, EXIT } from './command.js';

/** Backend faults the user fixes on the command line: a name that is not registered, or one that cannot do the job here. */
const USAGE_BACKEND_CODES: ReadonlySet<string> = new Set(['unknown-backend', 'unavailable', 'cannot-train']);

export function exitCodeOf(e: unknown): number {
  if (e instanceof CliError) return e.exitCode;
  if (e instanceof BackendError && USAGE_BACKEND_CODES.has(e.code)) return EXIT.usage;
  if (e instanceof SpecError || e instanceof CheckpointError) return targetError(e).exitCode;
  // A path the command line named that is not there (the commands check theirs; this catches the rest).
  if (e instanceof Error && 'code' in e && e.code === 'ENOENT' && 'path' in e) return EXIT.usage;
  return EXIT.failure;
}

/**
 * An error met while reading a model target (a name with options, a spec file, a checkpoint): a spec file's content
 * is bad data (1); an unknown name or options the architecture cannot take are the command line's (2).
 */
export function targetError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof SpecError && e.source !== undefined) return new CliError(message, EXIT.failure);
  if (e instanceof CheckpointError) return new CliError(message, EXIT.failure);
  return new CliError(message, EXIT.usage);
}
