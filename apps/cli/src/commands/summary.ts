import { CliError, defineCommand } from '../command.js';

// Placeholder: replaced by the issue that builds `convzoo summary`.
export const summaryCommand = defineCommand({
  name: 'summary',
  summary: '(not built yet)',
  usage: 'convzoo summary',
  options: {},
  async run() {
    throw new CliError('convzoo summary is not built yet', 1);
  },
});
