// A skipped browser suite is a check not made: in CI (where .ci/run installs Chromium and turbo builds the app) the
// skip itself fails, naming what was missing.
import { it } from 'vitest';

export function failInCiIfSkipped(missing: string | undefined, suite: string): void {
  it.runIf(missing !== undefined && Boolean(process.env.CI))(`${suite} runs in CI`, () => {
    throw new Error(`${suite} was skipped in CI: ${missing}`);
  });
}
