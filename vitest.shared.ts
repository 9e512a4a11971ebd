// One test setup for every workspace: 'source' resolves workspace packages to their TypeScript sources (no build
// needed), and a reporter that lists every skipped test with its file, failing the run in CI, where every test is
// meant to run (a skip there is a check not made). Heavy checks CI is not meant to run say so in their describe
// name, `[opt-in: ENV_VAR]`; their skips are listed but do not fail CI.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { BaseSequencer, type Reporter, type TestModule, type TestSpecification } from 'vitest/node';

const OPT_IN = /\[opt-in: [A-Z0-9_]+\]/;

export class SkipsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) if (t.result().state === 'skipped') skipped.push(`${m.relativeModuleId} > ${t.fullName}`);
    }
    for (const s of skipped.filter((name) => OPT_IN.test(name))) console.log(`skipped (opt-in): ${s}`);
    skipped.splice(0, skipped.length, ...skipped.filter((name) => !OPT_IN.test(name)));
    if (skipped.length === 0) return;
    for (const s of skipped) console.log(`skipped: ${s}`);
    if (process.env.CI) {
      console.log(`CI runs every test, but ${skipped.length} were skipped (above): failing the run`);
      process.exitCode = 1;
    }
  }
}

/**
 * A sequencer that starts `slowFirst` (paths relative to the package, longest first) before vitest's own order. On a
 * clean clone vitest has no recorded durations and starts the LARGEST files first, so a 17-line file that runs 90 s
 * of SwiftShader started last and ran alone at the end while the other worker idled.
 */
function slowFirstSequencer(slowFirst: readonly string[]): typeof BaseSequencer {
  for (const p of slowFirst) if (!existsSync(resolve(p))) throw new Error(`vitest.shared.ts slowFirst: no test file '${p}' in ${process.cwd()}`);
  const rank = (f: TestSpecification) => {
    const i = slowFirst.findIndex((p) => f.moduleId === resolve(p));
    return i < 0 ? slowFirst.length : i;
  };
  return class extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      return (await super.sort(files))
        .map((f, i) => ({ f, i }))
        .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
        .map(({ f }) => f);
    }
  };
}

/**
 * `parallelFiles`: for packages whose test files share nothing (own temp dirs, own engines per process), run two
 * files at once even on 2 cores, where vitest's default (cores - 1) runs one: its main process is mostly idle, and
 * the heavy files (tfjs-cpu kernels, ORT session builds, SwiftShader) are each about one core.
 */
export function packageTestConfig(
  options: { source?: boolean; testTimeout?: number; parallelFiles?: boolean; slowFirst?: readonly string[] } = {},
): ViteUserConfig {
  const conditions = options.source === false ? [] : ['source'];
  const timeout = options.testTimeout ?? 60_000;
  const workers = options.parallelFiles ? { maxWorkers: Math.max(2, availableParallelism() - 1) } : {};
  const sequence = options.slowFirst ? { sequence: { sequencer: slowFirstSequencer(options.slowFirst) } } : {};
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: { testTimeout: timeout, hookTimeout: timeout, pool: 'forks', ...workers, ...sequence, reporters: ['default', new SkipsReporter()] },
  });
}
