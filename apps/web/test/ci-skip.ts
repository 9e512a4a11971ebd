// A skipped browser suite is a check not made: in CI (where .ci/run installs Chromium and turbo builds the app) the
// skip itself fails, naming what was missing.
import { it } from 'vitest';

// The check is registered only when it fails: a registered-but-skipped test would itself trip the shared
// "no skipped tests in CI" reporter (vitest.shared.ts).
export function failInCiIfSkipped(missing: string | undefined, suite: string): void {
  if (missing === undefined || !process.env.CI) return;
  it(`${suite} runs in CI`, () => {
    throw new Error(`${suite} was skipped in CI: ${missing}`);
  });
}
