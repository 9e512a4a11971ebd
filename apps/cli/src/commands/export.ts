import { CliError, defineCommand } from '../command.js';

// Placeholder: replaced by the issue that builds `convzoo export`.
export const exportCommand = defineCommand({
  name: 'export',
  summary: '(not built yet)',
  usage: 'convzoo export',
  options: {},
  async run() {
    throw new CliError('convzoo export is not built yet', 1);
  },
});
