#!/usr/bin/env node
// A committed bin so `npm ci` links `npx convzoo` in the repo before anything is built; it runs the built CLI.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('convzoo: the CLI is not built yet (apps/cli/dist/main.js is missing); run `npm run build` first');
  process.exit(1);
}
await import(main.href);
