export { runCli } from './cli.js';
export { CliError, defineCommand, type Command, type CommandIO } from './command.js';
