import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, skipBrowserTests, type Chromium } from '../support/chromium.js';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

/**
 * The browser example, built by Vite and served from an origin of its own
 * that the gateway lists in GATER_CORS_ORIGINS, shows a stream's history and
 * then its new events in real Chromium.
 */
if (skipBrowserTests) console.warn(`browser-live: skipped: ${chromiumMissing}`);

const root = fileURLToPath(new URL('../../examples/browser', import.meta.url));

describe.skipIf(skipBrowserTests)(skipBrowserTests ? `browser example (skipped: ${chromiumMissing})` : 'the browser example in Chromium', () => {
  let outDir: string;
  let site: PreviewServer;
  let browser: Chromium;
  let origin: string;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'gater-browser-example-'));
    await build({ root, configFile: false, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    site = await preview({ root, configFile: false, logLevel: 'silent', build: { outDir }, preview: { host: '127.0.0.1', port: 0, open: false } });
    origin = new URL(site.resolvedUrls!.local[0]!).origin;
    browser = await launchChromium();
  });
  const gw = useGateway(() => ({ env: { GATER_CORS_ORIGINS: origin } }));
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('shows the history, then each event appended through the API as it comes', async () => {
    await appendSuccess(gw, { streamId: 'order-42', events: newEvents(1, 'OrderPlaced', () => ({ total: 42 })) });
    const page = await browser.context.newPage();
    try {
      await page.goto(`${origin}/?gateway=${encodeURIComponent(gw.url)}&stream=order-42`);
      await page.waitForSelector('li[data-version="0"]');
      await page.waitForSelector('#status[data-state="live"]');

      await appendSuccess(gw, { streamId: 'order-42', expectedVersion: 0, events: newEvents(2, 'OrderPaid', (index) => ({ installment: index + 1 })) });
      await page.waitForSelector('li[data-version="2"]');

      expect(await page.$$eval('li', (items) => items.map((item) => item.textContent))).toEqual([
        'OrderPlaced {"total":42}',
        'OrderPaid {"installment":1}',
        'OrderPaid {"installment":2}',
      ]);
      await page.screenshot({ path: path.join(os.tmpdir(), 'gater-browser-example.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
