import { CliError, defineCommand } from '../command.js';

// Placeholder: replaced by the issue that builds `convzoo list`.
export const listCommand = defineCommand({
  name: 'list',
  summary: '(not built yet)',
  usage: 'convzoo list',
  options: {},
  async run() {
    throw new CliError('convzoo list is not built yet', 1);
  },
});
