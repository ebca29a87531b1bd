import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's Chromium; playwright-core drives it and downloads no browser of its own. */
export const CHROMIUM_PATH = process.env.GATER_CHROMIUM ?? '/usr/bin/chromium';

/** Undefined when the browser tests can run; else why not and how to make them. */
export const chromiumMissing = existsSync(CHROMIUM_PATH)
  ? undefined
  : `no Chromium at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" (or set GATER_CHROMIUM to its path) to run the browser tests`;

const inCi = !!process.env.CI && process.env.CI !== 'false';

/** Skip the browser tests where Chromium is missing, except in CI, where they must run. */
export const skipBrowserTests = chromiumMissing !== undefined && !inCi;

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, quiet: no network of its own (updates, sync, QUIC probes). */
export async function launchChromium(): Promise<Chromium> {
  if (chromiumMissing) throw new Error(chromiumMissing);
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'gater-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers the hooks of a test file (or describe block) that needs a browser:
 * launched before its tests, closed after them. The answer stands for that
 * browser from the first test on.
 */
export function useChromium(): Chromium {
  let launched: Chromium | undefined;
  beforeAll(async () => {
    launched = await launchChromium();
  });
  afterAll(async () => {
    await launched?.close();
  });
  return {
    get context() {
      if (!launched) throw new Error('the browser is launched in beforeAll: use it inside a test or a hook');
      return launched.context;
    },
    close: async () => launched?.close(),
  };
}
