import { CliError, defineCommand } from '../command.js';

// Placeholder: replaced by the issue that builds `convzoo classify`.
export const classifyCommand = defineCommand({
  name: 'classify',
  summary: '(not built yet)',
  usage: 'convzoo classify',
  options: {},
  async run() {
    throw new CliError('convzoo classify is not built yet', 1);
  },
});
