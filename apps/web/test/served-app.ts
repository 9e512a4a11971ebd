// The built app served on a local port and one headless Chromium, opened before a describe block's tests and closed
// after them (call inside the describe).
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { serveStatic, type StaticServer } from './static-server.js';

export interface ServedApp {
  readonly server: StaticServer;
  readonly browser: Browser;
}

export function servedApp(dist: string, launch: Parameters<typeof launchChromium>[0]): ServedApp {
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await serveStatic(dist);
    browser = await launchChromium(launch);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('servedApp: the server is not up (beforeAll failed?)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('servedApp: Chromium is not running (beforeAll failed?)');
      return browser;
    },
  };
}
