// Where fetched weight packages live: $CONVZOO_CACHE, else ~/.cache/convzoo.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(): string {
  const env = process.env.CONVZOO_CACHE;
  return env && env.length > 0 ? env : join(homedir(), '.cache', 'convzoo');
}
