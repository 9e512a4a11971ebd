import { CliError, defineCommand } from '../command.js';

// Placeholder: replaced by the issue that builds `convzoo bench`.
export const benchCommand = defineCommand({
  name: 'bench',
  summary: '(not built yet)',
  usage: 'convzoo bench',
  options: {},
  async run() {
    throw new CliError('convzoo bench is not built yet', 1);
  },
});
