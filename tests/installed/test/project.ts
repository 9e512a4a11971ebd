// A fresh project outside the repo with the packed tarballs installed, as a user gets them.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The workspaces users install (the private test workspaces are not published). */
export const PUBLISHED = [
  'packages/models',
  'packages/backend',
  'packages/backend-tfjs',
  'packages/backend-onnx',
  'packages/image',
  'packages/datasets',
  'packages/io',
  'packages/weights',
  'packages/train',
  'apps/cli',
];

export interface Project {
  dir: string;
  tarballs: string[];
}

/** `npm pack` every published workspace, then `npm install` the tarballs into a new folder in the temp dir. */
export function createProject(): Project {
  const packs = mkdtempSync(join(tmpdir(), 'convzoo-packs-'));
  execFileSync('npm', ['pack', '--silent', '--pack-destination', packs, ...PUBLISHED.flatMap((w) => ['-w', w])], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarballs = readdirSync(packs)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(packs, f));
  const dir = mkdtempSync(join(tmpdir(), 'convzoo-user-'));
  // What an offline user writes: onnxruntime-node's install script downloads CUDA files from outside npm, so it is
  // denied (npm 11 allowScripts); the others are optional checks.
  const allowScripts = { 'onnxruntime-node': false, protobufjs: false, sharp: false, esbuild: false };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'convzoo-user', version: '1.0.0', private: true, type: 'module', allowScripts }, null, 2));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { dir, tarballs };
}

export interface Run {
  code: number | null;
  out: string;
  err: string;
}

function result(r: SpawnSyncReturns<string>): Run {
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs `node` in the project (module resolution from its node_modules, never the repo's). */
export function node(project: Project, args: string[], timeoutMs = 240_000): Run {
  return result(spawnSync(process.execPath, args, { cwd: project.dir, encoding: 'utf8', timeout: timeoutMs }));
}

/** Runs the installed bin, as `npx convzoo ...` does. */
export function convzoo(project: Project, args: string[], timeoutMs = 240_000): Run {
  return result(spawnSync('npx', ['--no-install', 'convzoo', ...args], { cwd: project.dir, encoding: 'utf8', timeout: timeoutMs }));
}

/** Writes `source` as an ES module in the project and runs it. */
export function runModule(project: Project, name: string, source: string, timeoutMs?: number): Run {
  writeFileSync(join(project.dir, name), source);
  return node(project, [name], timeoutMs);
}
