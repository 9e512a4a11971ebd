// The shape every `convzoo <command>` takes. Each command lives in its own file under commands/.
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stdout is a terminal (progress bars redraw only there). */
  isTTY: boolean;
}

export interface CommandContext<O extends OptionSpec = OptionSpec> {
  positionals: string[];
  values: { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string };
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

/** A user error: printed without a stack trace, exit code 2 unless given. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function defineCommand<O extends OptionSpec>(c: Command<O>): Command<O> {
  return c;
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
