import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, skipBrowserTests, useChromium } from '../support/chromium.js';
import { callerClient, refusals, ROLE_KEYS, ROLE_KEYS_ENV } from '../support/callers.js';
import { PAGE_WAIT_MS, screenshot, shownNumber, textOf, waitForText } from '../support/dashboard-page.js';
import { SAVE_SUBSCRIPTION } from '../support/persistent.js';
import { dataOf } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

/**
 * With API keys configured, the page asks for one, and shows what the key's
 * role may read: a reader sees the cluster (with opaque node ids) and the
 * stores, not the persistent subscriptions; an admin sees everything.
 */
if (skipBrowserTests) console.warn(`dashboard-access: skipped: ${chromiumMissing}`);

describe.skipIf(skipBrowserTests)(skipBrowserTests ? `dashboard access (skipped: ${chromiumMissing})` : 'the dashboard with API keys', () => {
  const browser = useChromium();
  const gw = useGateway({ env: { GATER_API_KEYS: ROLE_KEYS_ENV } });
  beforeAll(async () => {
    const admin = callerClient(gw, ROLE_KEYS.admin);
    dataOf(await admin.gql(SAVE_SUBSCRIPTION, { input: { name: 'billing', type: 'BY_STREAM', selector: '$all' } }));
  });

  const useKey = async (page: import('playwright-core').Page, key: string) => {
    await page.locator('gater-dashboard input[name="key"]').fill(key);
    await page.locator('gater-dashboard button[type="submit"]').click();
  };

  it('answers the fields added for the dashboard by role: live counts and node start times to readers, subscription lag to admins', async () => {
    const query = '{ liveSubscriptions { kind count } cluster { nodes { startedAt } } }';
    expect(refusals((await callerClient(gw, undefined).gql(query)).errors)).toEqual([['UNAUTHENTICATED', undefined]]);
    const reader = dataOf(await callerClient(gw, ROLE_KEYS.reader).gql<{ liveSubscriptions: { kind: string; count: number }[]; cluster: { nodes: { startedAt: string }[] } }>(query));
    expect(reader.liveSubscriptions.map((each) => each.kind)).toEqual(['BY_STREAM', 'ALL', 'BY_EVENT_TYPE', 'BY_EVENT_PATTERN', 'BY_EVENT_PAYLOAD']);
    expect(Date.parse(reader.cluster.nodes[0]!.startedAt)).toBeLessThanOrEqual(Date.now());

    const lag = '{ persistentSubscriptions { name lag } }';
    expect(refusals((await callerClient(gw, ROLE_KEYS.reader).gql(lag)).errors)[0]?.[0]).toBe('FORBIDDEN');
    expect(dataOf(await callerClient(gw, ROLE_KEYS.admin).gql(lag))).toEqual({ persistentSubscriptions: [{ name: 'billing', lag: 0 }] });
  });

  it('without a key, every panel says the gateway needs one; with a reader key it shows what a reader may see', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${gw.origin}/dashboard`);
      for (const panel of ['gater-cluster', 'gater-stores', 'gater-subscriptions']) {
        await expect.poll(() => page.locator(panel).getAttribute('connection-state'), { timeout: PAGE_WAIT_MS }).toBe('needs-key');
      }
      expect(await textOf(page, 'gater-stores [data-problem="needs-key"]')).toContain('needs an API key');
      expect(await page.locator('gater-stores tr[data-store]').count()).toBe(0);
      await screenshot(page, 'needs-key');

      await useKey(page, 'not-a-key-of-this-gateway-0000');
      await expect.poll(() => page.locator('gater-stores').getAttribute('connection-state'), { timeout: PAGE_WAIT_MS }).toBe('key-refused');

      await useKey(page, ROLE_KEYS.reader);
      await waitForText(page, 'gater-stores tr[data-store="default"] [data-field="eventCount"]', (text) => shownNumber(text) === 0, 'the store, for a reader');
      await waitForText(page, 'gater-cluster [data-cluster-status]', (text) => text === 'HEALTHY', 'the cluster, for a reader');
      // Node addresses are for admins: a reader sees an opaque id.
      const nodeId = await page.locator('gater-cluster tr[data-node]').first().getAttribute('data-node');
      expect(nodeId).not.toContain('127.0.0.1');
      await waitForText(page, 'gater-subscriptions [data-problem="persistent"]', (text) => text?.includes('admin') ?? false, 'why a reader sees no persistent subscriptions');
      // Its own panel, which may render after the stores'.
      await waitForText(page, 'gater-subscriptions [data-live-kind="BY_STREAM"]', (text) => text === '0', 'no live subscription yet');
      await screenshot(page, 'reader');
    } finally {
      await page.close();
    }
  });

  it('with an admin key given as an attribute, it shows the persistent subscriptions and node addresses as ids', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${gw.origin}/dashboard`);
      await page.locator('gater-dashboard').evaluate((element, key) => element.setAttribute('api-key', key), ROLE_KEYS.admin);
      await waitForText(page, 'gater-subscriptions tr[data-subscription="billing"] [data-field="lag"]', (text) => shownNumber(text) === 0, 'the persistent subscription, for an admin');
      const nodeId = await page.locator('gater-cluster tr[data-node]').first().getAttribute('data-node');
      expect(nodeId).toMatch(/^127\.0\.0\.1:\d+$/);
      await screenshot(page, 'admin');
    } finally {
      await page.close();
    }
  });
});
