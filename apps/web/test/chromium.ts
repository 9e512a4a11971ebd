// Debian's Chromium driven by playwright-core: headless, fresh profile, nothing phoning home; WebGPU (SwiftShader)
// only when asked, so the disabled reasons can be checked without it.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CONVZOO_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CONVZOO_CHROMIUM)`;
}

/** `args`: extra Chromium switches (the start-up measurement passes V8 flags to find where time goes). */
export async function launchChromium(options: { webgpu: boolean; args?: readonly string[] }): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // playwright's own --headless flag is the old mode; new headless has WebGPU and the real GPU process.
    headless: false,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(options.webgpu ? ['--enable-unsafe-webgpu'] : []),
      ...(options.args ?? []),
    ],
  });
  // Every page asks for reduced motion, so the page's spinner stands still: animating it cost 10% of a core while
  // shown, ~3 min of a run. (Chromium 156's --force-prefers-reduced-motion left the media query false here.)
  const newContext = browser.newContext.bind(browser);
  const newPage = browser.newPage.bind(browser);
  browser.newContext = (o) => newContext({ reducedMotion: 'reduce', ...o });
  browser.newPage = (o) => newPage({ reducedMotion: 'reduce', ...o });
  return browser;
}
