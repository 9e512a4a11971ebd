import { CliError, defineCommand } from '../command.js';

// Placeholder: replaced by the issue that builds `convzoo train`.
export const trainCommand = defineCommand({
  name: 'train',
  summary: '(not built yet)',
  usage: 'convzoo train',
  options: {},
  async run() {
    throw new CliError('convzoo train is not built yet', 1);
  },
});
