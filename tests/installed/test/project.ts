// A fresh project outside the repo with the packed tarballs installed, as a user gets them.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { type Dirent, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** The ONNX Runtime packages a user installs beside convzoo (backend-onnx's optional peers). */
export const ORT_RUNTIMES = ['onnxruntime-node', 'onnxruntime-web'] as const;
export type OrtRuntime = (typeof ORT_RUNTIMES)[number];

/** backend-onnx's peer range for each runtime: the versions its README states, and what the fresh project installs. */
export function ortPeerRanges(): Record<OrtRuntime, string> {
  const pkg = JSON.parse(readFileSync(join(REPO, 'packages/backend-onnx/package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
  return Object.fromEntries(ORT_RUNTIMES.map((n) => [n, pkg.peerDependencies[n]!])) as Record<OrtRuntime, string>;
}

export interface Project {
  dir: string;
  tarballs: string[];
}

/**
 * `npm pack` every published workspace, then `npm install` the tarballs into a new folder in the temp dir, with the
 * user's own onnxruntime-node and onnxruntime-web at backend-onnx's peer range, in one command, as a user runs
 * `npm i convzoo onnxruntime-node onnxruntime-web` (npm takes the newest version the range allows).
 */
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
  const runtimes = Object.entries(ortPeerRanges()).map(([name, range]) => `${name}@${range}`);
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...runtimes], {
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

/** Every installed copy of a package in the project (hoisted or nested in any node_modules), with its version. */
export function installedCopies(project: Project, name: string): { dir: string; version: string }[] {
  const found: { dir: string; version: string }[] = [];
  const walk = (nodeModules: string, scope = ''): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(nodeModules, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue; // .bin, .package-lock.json; links are not followed
      const dir = join(nodeModules, e.name);
      if (!scope && e.name.startsWith('@')) {
        walk(dir, `${e.name}/`);
        continue;
      }
      if (`${scope}${e.name}` === name)
        found.push({ dir, version: (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version });
      walk(join(dir, 'node_modules'));
    }
  };
  walk(join(project.dir, 'node_modules'));
  return found;
}
