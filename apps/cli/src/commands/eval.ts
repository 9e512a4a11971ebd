import { CliError, defineCommand } from '../command.js';

// Placeholder: replaced by the issue that builds `convzoo eval`.
export const evalCommand = defineCommand({
  name: 'eval',
  summary: '(not built yet)',
  usage: 'convzoo eval',
  options: {},
  async run() {
    throw new CliError('convzoo eval is not built yet', 1);
  },
});
