// Committed files name no folder of the machine they were written on: scripts take paths as arguments.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from './project.js';

it('no committed file names an absolute path of a developer machine', () => {
  const files = execFileSync('git', ['ls-files'], { cwd: REPO, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && f !== 'package-lock.json' && !f.endsWith('repo-hygiene.test.ts'));
  const offenders = files.flatMap((f) => {
    let text: string;
    try {
      text = readFileSync(join(REPO, f), 'utf8');
    } catch {
      return [];
    }
    if (text.includes('\0')) return []; // binary fixture
    return text
      .split('\n')
      .flatMap((line, i) => (/(^|[\s'"`(=])\/(work|root|home\/[\w.-]+|Users\/[\w.-]+)\//.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : []));
  });
  expect(offenders).toEqual([]);
});
