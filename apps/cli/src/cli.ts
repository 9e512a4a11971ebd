// Dispatch: `convzoo <command> [args]`. Parsing is strict: unknown options are errors, not ignored.
import { readFileSync } from 'node:fs';
import { closestName } from '@convzoo/models';
import { CliError, type CommandIO, EXIT } from './command.js';
import { commands } from './commands/index.js';
import { exitCodeOf } from './exit-code.js';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'convzoo — classic CNNs as data, on TensorFlow.js and ONNX Runtime',
    '',
    'Usage: convzoo <command> [options]   (convzoo help <command> or convzoo <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    '  --version    print the version',
    '',
    'Exit codes: 0 success, 1 the run failed or its data is bad, 2 the command line is wrong (apps/cli/README.md).',
  ].join('\n');
}

/** This package's version: package.json sits one folder up from src/ and from dist/ alike. */
export function version(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

function unknownCommand(name: string): string {
  const close = closestName(
    name,
    commands.map((c) => c.name),
  );
  const hint = close !== undefined ? ` (did you mean '${close}'?)` : '';
  return `convzoo: unknown command '${name}'${hint}. Commands: ${commands.map((c) => c.name).join(', ')}`;
}

export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`convzoo ${version()}`);
    return EXIT.ok;
  }
  // `convzoo help train` is `convzoo train --help`, as in git and npm.
  if (name === 'help' && rest[0] !== undefined) return runCli([rest[0], '--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(unknownCommand(name));
    return EXIT.usage;
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command.usage);
      return EXIT.ok;
    }
    return await command.run(rest, io);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    io.err(`convzoo ${name}: ${err.message}`);
    if (!(e instanceof CliError) && process.env.CONVZOO_DEBUG) io.err(err.stack ?? '');
    return exitCodeOf(e);
  }
}
