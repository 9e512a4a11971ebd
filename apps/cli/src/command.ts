// The shape every `convzoo <command>` takes. Each command lives in its own file under commands/.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { describeParseError } from './parse-errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (progress bars redraw only there). */
  isTTY: boolean;
}

/** How every command's arguments are parsed: strictly, positionals allowed. */
interface ParseConfig<O extends OptionSpec> {
  args: string[];
  options: O;
  allowPositionals: true;
  strict: true;
}

/** The values node's parseArgs gives for the option table O (its own type, so they pass to `run` as they are). */
export type OptionValues<O extends OptionSpec> = ReturnType<typeof parseArgs<ParseConfig<O>>>['values'];

export interface CommandContext<O extends OptionSpec = OptionSpec> {
  positionals: string[];
  values: OptionValues<O>;
  io: CommandIO;
}

export interface Command<O extends OptionSpec = OptionSpec> {
  name: string;
  /** One line for `convzoo --help`. */
  summary: string;
  /** Full usage text for `convzoo <name> --help`. */
  usage: string;
  options: O;
  /** Returns the process exit code. Throw CliError for bad user input. */
  run(ctx: CommandContext<O>): Promise<number>;
}

/**
 * Exit codes, one table for every command (apps/cli/README.md): 2 when the command line is wrong (an unknown command,
 * option or name, a bad value, a missing argument, a path that does not exist, an output it would overwrite), 1 when
 * the command line is right but the run fails (damaged or invalid data in a file that exists, an engine failure) or
 * its answer is "no" (compare over tolerance, doctor with no backend).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A user error: printed without a stack trace, exit code 2 (usage) unless given. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function defineCommand<O extends OptionSpec>(c: Command<O>): Command<O> {
  return c;
}

/** A command as the dispatcher holds it, whatever its options: their types stay inside `run`, which parses them. */
export interface RegisteredCommand {
  name: string;
  summary: string;
  usage: string;
  /** Parses `args` with the command's option table (unknown options are errors), then runs it. */
  run(args: string[], io: CommandIO): Promise<number>;
}

export function registerCommand<O extends OptionSpec>(c: Command<O>): RegisteredCommand {
  const run = async (args: string[], io: CommandIO): Promise<number> => {
    let parsed: ReturnType<typeof parseArgs<ParseConfig<O>>>;
    try {
      parsed = parseArgs<ParseConfig<O>>({ args, options: c.options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new CliError(describeParseError(e, c.name, c.options));
    }
    return c.run({ positionals: parsed.positionals, values: parsed.values, io });
  };
  return { name: c.name, summary: c.summary, usage: c.usage, run };
}

/** The parseArgs table of a command, from names: `values` take a string (parsed by the command), `flags` are booleans. */
export function optionTable<const V extends string, const F extends string = never>(
  values: readonly V[],
  flags: readonly F[] = [],
): { [K in V]: { type: 'string' } } & { [K in F]: { type: 'boolean' } } {
  return Object.fromEntries([...values.map((n) => [n, { type: 'string' }]), ...flags.map((n) => [n, { type: 'boolean' }])]) as never;
}

/** Parses a positive integer option, naming the option when it is not one. */
export function intOption(value: string | undefined, option: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${option} must be an integer >= ${min}, got '${value}'`);
  return n;
}

/** Parses a number option, naming the option when it is not one. */
export function numberOption(value: string | undefined, option: string, fallback: number, min = -Infinity, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new CliError(`--${option} must be a number in [${min}, ${max}], got '${value}'`);
  return n;
}
