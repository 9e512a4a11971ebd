// Dispatch: `convzoo <command> [args]`. Parsing is strict: unknown options are errors, not ignored.
import { CliError, type CommandIO } from './command.js';
import { commands } from './commands/index.js';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'convzoo — classic CNNs as data, on TensorFlow.js and ONNX Runtime',
    '',
    'Usage: convzoo <command> [options]   (convzoo <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`convzoo: unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}`);
    return 2;
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command.usage);
      return 0;
    }
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`convzoo ${name}: ${e.message}`);
      return e.exitCode;
    }
    const err = e as Error;
    io.err(`convzoo ${name}: ${err.message ?? String(e)}`);
    if (process.env.CONVZOO_DEBUG) io.err(err.stack ?? '');
    return 1;
  }
}
