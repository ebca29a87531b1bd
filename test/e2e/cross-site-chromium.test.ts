import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAttackPage, type AttackPage } from '../support/attack-page.js';
import { chromiumMissing, launchChromium, skipBrowserTests, type Chromium } from '../support/chromium.js';
import { dataOf, startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { waitUntil } from '../support/ws-client.js';

/**
 * A real browser on a page of another site (localhost, against a gateway on
 * 127.0.0.1) tries every way in. Without its origin in GATER_CORS_ORIGINS all
 * are refused and nothing is written; with it, the fetch and the WebSocket
 * work, and the requests that skip the preflight are still refused.
 */
if (skipBrowserTests) console.warn(`cross-site-chromium: skipped: ${chromiumMissing}`);

const SCREENSHOTS = os.tmpdir();

interface Outcomes {
  /** What the page printed, by attack. */
  page: Record<string, string>;
  /** The gateway's HTTP statuses (a preflight's too) for the requests of each attack, even those whose answer the page never sees. */
  statuses: Record<string, number[]>;
}

/** Loads the page aimed at the gateway, waits for every outcome, prints the gateway's statuses on it, and takes a screenshot. */
async function attack(browser: Chromium, attackPage: AttackPage, gw: TestGateway, stream: string, screenshot: string): Promise<Outcomes> {
  const page: Page = await browser.context.newPage();
  // The network as DevTools sees it: statuses of answers that the page, or Playwright's events, never get (an <img> blocked by ORB).
  const devtools = await browser.context.newCDPSession(page);
  const attacks = new Map<string, string>();
  const answered: [string, number][] = [];
  devtools.on('Network.requestWillBeSent', ({ requestId, request }) => {
    const url = new URL(request.url);
    if (url.origin === gw.origin) attacks.set(requestId, url.searchParams.get('attack') ?? url.pathname);
  });
  devtools.on('Network.responseReceivedExtraInfo', ({ requestId, statusCode }) => answered.push([requestId, statusCode]));
  devtools.on('Network.webSocketCreated', ({ requestId, url }) => {
    const address = new URL(url);
    if (address.host === new URL(gw.origin).host) attacks.set(requestId, address.searchParams.get('attack') ?? address.pathname);
  });
  devtools.on('Network.webSocketHandshakeResponseReceived', ({ requestId, response }) => answered.push([requestId, response.status]));
  // A refused handshake shows only as an error naming its status.
  devtools.on('Network.webSocketFrameError', ({ requestId, errorMessage }) => {
    const status = /response code: (\d+)/.exec(errorMessage)?.[1];
    if (status) answered.push([requestId, Number(status)]);
  });
  await devtools.send('Network.enable');
  try {
    await page.goto(attackPage.url(gw.url, stream));
    await page.waitForSelector('body[data-done="true"]', { timeout: 20_000 });
    const printed = await page.$$eval('li', (items) => Object.fromEntries(items.map((item) => [item.dataset.attack!, item.dataset.outcome!])));
    const statusesNow = () => {
      const seen: Record<string, number[]> = {};
      for (const [requestId, status] of answered) {
        const name = attacks.get(requestId);
        if (name !== undefined) (seen[name] ??= []).push(status);
      }
      return seen;
    };
    // A form post is done for the page once sent: DevTools may tell of the gateway's answer a moment later.
    await waitUntil(() => Object.keys(printed).every((name) => statusesNow()[name] !== undefined), 'the gateway to answer every attack', 10_000);
    const statuses = statusesNow();
    await page.evaluate((seen) => {
      for (const item of document.querySelectorAll('li')) {
        const status = seen[item.dataset.attack!];
        item.lastChild!.textContent += status ? ` [gateway: ${status.join(', ')}]` : ' [never reached the gateway]';
      }
    }, statuses);
    await page.screenshot({ path: path.join(SCREENSHOTS, screenshot), fullPage: true });
    return { page: printed, statuses };
  } finally {
    await page.close();
  }
}

describe.skipIf(skipBrowserTests)(skipBrowserTests ? `Chromium (skipped: ${chromiumMissing})` : 'Chromium on a page of another site', () => {
  let browser: Chromium;
  let attackPage: AttackPage;
  let gw: TestGateway | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    attackPage = await startAttackPage();
  });
  afterAll(async () => {
    await gw?.stop();
    await attackPage?.stop();
    await browser?.close();
  });

  it('is refused every way in while its origin is not allowed, and nothing is written', async () => {
    gw = await startTestGateway();
    const { page, statuses } = await attack(browser, attackPage, gw, 'refused', 'gater-cross-site-refused.png');

    expect(page['fetch']).toMatch(/^refused: TypeError: Failed to fetch/);
    expect(page['websocket']).toMatch(/^refused: closed before it opened \(code 1006\)/);
    // The answers a page cannot read: the gateway's own statuses.
    expect(statuses).toMatchObject({ 'form-urlencoded': [403], 'form-text-plain': [403], 'simple-fetch': [403], image: [403] });
    // The preflight allowed nothing, so the POST itself was never sent.
    expect(statuses['fetch']).toEqual([204]);
    expect(statuses['websocket']).toEqual([403]);
    const data = dataOf(await gw.gql<{ streamVersion: number; persistentSubscriptions: unknown[] }>('{ streamVersion(streamId: "refused") persistentSubscriptions { name } }'));
    expect(data).toEqual({ streamVersion: -1, persistentSubscriptions: [] });
  });

  it("GraphiQL's own page still posts and opens its WebSocket (same origin)", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(gw!.url);
      const answers = await page.evaluate(async () => {
        const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ stores { id } }' }) });
        const socket = new WebSocket(location.href.replace(/^http/, 'ws'), 'graphql-transport-ws');
        const opened = await new Promise<boolean>((resolve) => {
          socket.onopen = () => resolve(true);
          socket.onclose = () => resolve(false);
        });
        socket.close();
        return { status: response.status, body: await response.json(), opened };
      });
      expect(answers).toEqual({ status: 200, body: { data: { stores: [{ id: 'default' }] } }, opened: true });
    } finally {
      await page.close();
    }
  });

  it('gets its fetch and WebSocket through once its origin is in GATER_CORS_ORIGINS, and nothing else', async () => {
    const refusing = gw!;
    await refusing.stop({ keepDatabase: true });
    gw = undefined;
    const { databaseUrl } = refusing;
    const allowing = await startTestGateway({ databaseUrl, env: { GATER_CORS_ORIGINS: attackPage.origin } });
    try {
      const { page, statuses } = await attack(browser, attackPage, allowing, 'allowed', 'gater-cross-site-allowed.png');

      expect(page['fetch']).toBe('answered 200: {"data":{"appendEvents":{"__typename":"AppendEventsSuccess"}}}');
      expect(page['websocket']).toBe('opened; ran: {"data":{"appendEvents":{"__typename":"AppendEventsSuccess"}}}');
      expect(statuses).toMatchObject({ 'form-urlencoded': [403], 'form-text-plain': [403], 'simple-fetch': [403], image: [403], fetch: [204, 200], websocket: [101] });
      const data = dataOf(await allowing.gql<{ streamVersion: number; persistentSubscriptions: unknown[] }>('{ streamVersion(streamId: "allowed") persistentSubscriptions { name } }'));
      // Two events: the fetch's and the WebSocket's.
      expect(data).toEqual({ streamVersion: 1, persistentSubscriptions: [] });
    } finally {
      await allowing.stop();
      await refusing.dropDatabase();
    }
  });
});
