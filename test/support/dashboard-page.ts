import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Chromium } from './chromium.js';

/** Where the dashboard tests keep a screenshot of each state they reach (gitignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/dashboard/', import.meta.url));

/** How long a test waits for the page to show something; the page itself refreshes every second. */
export const PAGE_WAIT_MS = 20_000;

/** The console errors and uncaught exceptions of a page, collected from now on. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Runs `use` on a new page of `browser`, with the page's console errors collected from its start; closes the page afterwards. */
export async function withPage(browser: Chromium, use: (page: Page, errors: string[]) => Promise<void>): Promise<void> {
  const page = await browser.context.newPage();
  const errors = pageErrors(page);
  try {
    await use(page, errors);
  } finally {
    await page.close();
  }
}

/** The text of the first element a selector finds (CSS selectors reach into the panels' shadow roots). */
export async function textOf(page: Page, selector: string): Promise<string | null> {
  const found = page.locator(selector).first();
  return (await found.count()) === 0 ? null : found.textContent();
}

/** Waits until the text at `selector` satisfies `check`, polling the DOM. */
export async function waitForText(page: Page, selector: string, check: (text: string | null) => boolean, what: string): Promise<void> {
  await expect.poll(() => textOf(page, selector), { timeout: PAGE_WAIT_MS, interval: 100, message: what }).toSatisfy(check);
}

/** A number shown in a panel, as the page formats it (1,234). */
export function shownNumber(text: string | null): number {
  return text === null ? Number.NaN : Number(text.replace(/[^\d.-]/g, ''));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
