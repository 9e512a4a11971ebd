// `convzoo experiment degradation`: the tutorial's ResNet experiment on this machine, one command, one figure.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkBackendName } from '../backend-names.js';
import { CliError, defineCommand, intOption, optionTable } from '../command.js';
import { writeChart } from '../chart-file.js';
import { DEGRADATION_NETS, runDegradation, type DegradationNet } from '../experiment/degradation.js';
import { HE_RECIPE } from '../experiment/he-recipe.js';
import { degradationFigureSvg } from '../experiment/figure.js';

const USAGE = `Usage: convzoo experiment degradation [options]

He et al. 2015 (the tutorial's ResNet chapter): trains plain20, plain56, resnet20 and resnet56 with one recipe, the
paper's section 4.2 (SGD, momentum 0.9, weight decay 1e-4, batch 128, learning rate 0.1 divided by 10 at 50% and
75% of the updates; the 56-layer nets warm up at 0.01 for min(400 updates, 10% of the run); inputs normalised per
channel with the training set's statistics; no augmentation; seeded) and draws the figure: training error (dashed)
and test error (solid) vs iterations, plain nets left, ResNets right, the recipe in its caption.
Does the deeper plain net train WORSE than the shallow one, and does the deeper residual one train BETTER?

Writes to --out: <net>/ (checkpoints, iterations.csv, training-log.csv), tensorboard/<net>/, degradation.csv
(final errors), degradation.svg and degradation.png. Run the same command again to resume an interrupted experiment:
finished nets are not trained again, an interrupted one continues after its last finished epoch.

Options:
  --dataset NAME      fashion-mnist (default), mnist or cifar10
  --data-dir DIR      the data set's files (cifar10: the binary batches)
  --limit N           train on the first N training images (default all)
  --test-limit N      test on the first N test images (default: N of --limit, else all)
  --epochs N          epochs per net (default 10)
  --batch-size N      default 128, the paper's (tfjs-wasm's 4 GiB heap cannot hold plain56 at 128: use 64 there)
  --nets LIST         comma-separated subset of ${DEGRADATION_NETS.join(',')} (default all four)
  --backend NAME      a training backend, or auto (default: the fastest available)
  --seed N            initialisation and shuffling seed (default 0)
  --out DIR           default ./runs/degradation`;

function parseNets(value: string | undefined): DegradationNet[] {
  if (value === undefined) return [...DEGRADATION_NETS];
  const nets = value.split(',').map((s) => s.trim());
  for (const n of nets)
    if (!(DEGRADATION_NETS as readonly string[]).includes(n)) throw new CliError(`--nets: unknown net '${n}'; choose from ${DEGRADATION_NETS.join(', ')}`);
  return nets as DegradationNet[];
}

/** final_train_error: mean of the last 5% of the iterations; final_test_error: after the last epoch. */
export const CSV_HEADER = 'net,backend,iterations,final_train_error,final_test_error,seconds,recipe';

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

export const experimentCommand = defineCommand({
  name: 'experiment',
  summary: "reproduce the tutorial's ResNet experiment: plain vs residual nets at 20 and 56 layers, with the figure",
  usage: USAGE,
  options: optionTable(['dataset', 'data-dir', 'limit', 'test-limit', 'epochs', 'batch-size', 'nets', 'backend', 'seed', 'out']),
  async run({ positionals, values, io }) {
    const [which, ...rest] = positionals;
    if (which !== 'degradation' || rest.length > 0)
      throw new CliError(`the only experiment is 'degradation'${which ? `, got '${positionals.join(' ')}'` : ''}\n\n${USAGE}`);
    const limit = values.limit === undefined ? undefined : intOption(values.limit, 'limit', 0);
    const testLimit = values['test-limit'] === undefined ? undefined : intOption(values['test-limit'], 'test-limit', 0);
    const out = resolve(values.out ?? './runs/degradation');
    const dataset = values.dataset ?? 'fashion-mnist';
    await checkBackendName(values.backend ?? 'auto', 'backend');
    const started = Date.now();
    const { results, recipe } = await runDegradation({
      dataset,
      ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(testLimit !== undefined ? { testLimit } : {}),
      epochs: intOption(values.epochs, 'epochs', 10),
      batchSize: intOption(values['batch-size'], 'batch-size', HE_RECIPE.batchSize),
      backend: values.backend ?? 'auto',
      seed: intOption(values.seed, 'seed', 0, 0),
      nets: parseNets(values.nets),
      out,
      io,
    });
    const quoted = `"${recipe.replaceAll('"', '""')}"`;
    const rows = results.map((r) => `${r.net},${r.backend},${r.iterations.length},${r.finalTrainError},${r.finalTestError},${r.seconds.toFixed(1)},${quoted}`);
    writeFileSync(join(out, 'degradation.csv'), `${[`${CSV_HEADER}`, ...rows].join('\n')}\n`);
    const svg = degradationFigureSvg(results, `degradation on ${dataset}: training error (dashed) and test error (solid)`, recipe);
    await writeChart(join(out, 'degradation.svg'), svg);
    await writeChart(join(out, 'degradation.png'), svg);
    io.out('\nnet        final train error   final test error   time');
    for (const r of results)
      io.out(`${r.net.padEnd(10)} ${pct(r.finalTrainError).padStart(17)}   ${pct(r.finalTestError).padStart(16)}   ${r.seconds.toFixed(0)} s`);
    const by = new Map(results.map((r) => [r.net, r]));
    const cmp = (deep: DegradationNet, shallow: DegradationNet) => {
      const d = by.get(deep);
      const s = by.get(shallow);
      return d && s
        ? `${deep} ${d.finalTrainError > s.finalTrainError ? 'trains WORSE than' : 'trains no worse than'} ${shallow} (${pct(d.finalTrainError)} vs ${pct(s.finalTrainError)})`
        : undefined;
    };
    for (const line of [cmp('plain56', 'plain20'), cmp('resnet56', 'plain56'), cmp('resnet56', 'resnet20')]) if (line) io.out(line);
    io.out(`Recipe: ${recipe}`);
    io.out(
      `\nFigure: ${join(out, 'degradation.svg')} (and .png)   CSV: ${join(out, 'degradation.csv')}   TensorBoard: tensorboard --logdir ${join(out, 'tensorboard')}`,
    );
    io.out(`Total time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return 0;
  },
});
