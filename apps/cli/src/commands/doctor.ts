import { CliError, defineCommand } from '../command.js';

// Placeholder: replaced by the issue that builds `convzoo doctor`.
export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: '(not built yet)',
  usage: 'convzoo doctor',
  options: {},
  async run() {
    throw new CliError('convzoo doctor is not built yet', 1);
  },
});
