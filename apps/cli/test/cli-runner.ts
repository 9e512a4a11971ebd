// Running `convzoo` from the tests: in this process (fast; what most tests need), or in its own process from the
// source via tsx (as a user's shell runs it: exit codes, signals, a kill mid-write).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runCli } from '../src/cli.js';

export interface CliResult {
  code: number;
  /** The lines printed to stdout, joined by newlines. */
  out: string;
  err: string;
}

/** `convzoo ...argv` in this process. */
export async function cli(...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A command that succeeded quietly: exit 0 and nothing on stderr. */
export function expectSuccess(r: { code: number | null; err: string }): void {
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
}

export interface SpawnedCli {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it has printed so far. */
  out: () => string;
  err: () => string;
}

const cliRoot = fileURLToPath(new URL('..', import.meta.url));

/** `convzoo ...args` in its own process. */
export function spawnCli(args: string[]): SpawnedCli {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts', ...args], {
    cwd: cliRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, done, out: () => out, err: () => err };
}
