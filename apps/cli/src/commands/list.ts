// `convzoo list`: the registered architectures, one line each, with the input shape and flavours they take.
import { listModels } from '@convzoo/models';
import { defineCommand } from '../command.js';

export const listCommand = defineCommand({
  name: 'list',
  summary: 'list the registered architectures with a one-line description and default input shape',
  usage: `Usage: convzoo list

Lists every architecture \`convzoo summary <model>\` accepts, with its default input (HxWxC) and its flavours
(the first is the default; choose another with --flavour).`,
  options: {},
  async run({ io }) {
    const rows = listModels().map((m) => [m.name, m.defaultInputShape.join('x'), m.flavours.join(','), m.description]);
    const header = ['MODEL', 'INPUT', 'FLAVOURS', 'DESCRIPTION'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ');
    io.out([header, ...rows].map(line).join('\n'));
    return 0;
  },
});
