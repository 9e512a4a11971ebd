// The READMEs list every command the CLI has: a command added without its row (two were missing) fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';

const readme = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('README command tables', () => {
  it.each([
    ['apps/cli/README.md', readme('../README.md'), /^\| `([a-z]+)/gm],
    ['README.md', readme('../../../README.md'), /^\| `convzoo ([a-z]+)/gm],
  ])('%s has a row for every command, and no row for a command that does not exist', (_file, text, row) => {
    const rows = [...text.matchAll(row)].map((m) => m[1]);
    expect(new Set(rows)).toEqual(new Set(commands.map((c) => c.name)));
  });
});
