// Node's parseArgs errors as the user should read them: the unknown option named, with the closest option the command
// takes ("did you mean --epochs?"), instead of parseArgs' advice about positionals starting with '-'.
import { editDistance } from '@convzoo/models';
import type { OptionSpec } from './command.js';

/** Every spelling the option table accepts: `--name`, and `-x` for a short alias. */
function spellings(options: OptionSpec): string[] {
  return Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
}

/** The accepted spelling closest to `given`: within a typo's reach, or one that `given` starts (`--epoch` -> `--epochs`). */
export function closestOption(given: string, options: OptionSpec): string | undefined {
  const flag = given.split('=')[0]!;
  const long = spellings(options).filter((s) => s.startsWith('--'));
  let best: string | undefined;
  let bestD = Infinity;
  for (const s of long) {
    const d = editDistance(flag, s);
    if (d < bestD) [best, bestD] = [s, d];
  }
  if (best !== undefined && bestD <= Math.max(2, Math.floor((flag.length - 2) / 4))) return best;
  const prefixed = long.filter((s) => s.startsWith(flag) && flag.length > 3);
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** parseArgs' error as one line for `convzoo <command>`: what was wrong, the likely intent, where the options are. */
export function describeParseError(e: unknown, command: string, options: OptionSpec): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = e instanceof Error && 'code' in e ? e.code : undefined;
  const help = `(convzoo ${command} --help lists its options)`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /Unknown option '([^']+)'/.exec(message)?.[1] ?? '?';
    const close = closestOption(given, options);
    // "Unknown option '--x'" stays the first words: scripts and tests have matched it since 0.1.
    return `Unknown option '${given}'${close !== undefined ? ` (did you mean '${close}'?)` : ''} ${help}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const missing = /Option '(-\S+)(?:, (-\S+))? <value>' argument missing/.exec(message);
    if (missing) return `${missing.slice(1).filter(Boolean).join('/')} needs a value ${help}`;
    const flag = /Option '(-\S+)(?:, (-\S+))?' does not take an argument/.exec(message);
    if (flag) return `${flag.slice(1).filter(Boolean).join('/')} is a switch and takes no value ${help}`;
  }
  return `${message} ${help}`;
}
