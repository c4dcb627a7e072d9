/**
 * What every step of the admin UI's end-to-end run shares: the site's addresses, the stack and
 * the administrator's browser (set by the first step), and the small helpers steps use. Steps live
 * in admin-ui.e2e.ts and in steps/*.ts, each file owning one feature's steps.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Browser } from './browser.js';
import type { Stack } from './stack.js';

const repo = join(import.meta.dirname, '..', '..', '..');
export const SITE_URL = `http://127.0.0.1:${process.env.SHELFGUARD_WP_PORT ?? '8094'}`;
export const WP_DIR = process.env.SHELFGUARD_WP_DIR ?? join(repo, 'var', 'wp-admin-ui');
export const SHOTS = process.env.SHELFGUARD_SCREENSHOTS_DIR ?? join(WP_DIR, 'screenshots');
export const ADMIN_PAGE = `${SITE_URL}/wp-admin/admin.php?page=shelfguard`;
export const WAIT_MS = 15_000;

export const adminPassword = randomBytes(12).toString('hex');
export const customerPassword = randomBytes(12).toString('hex');

export type Step = [name: string, run: () => Promise<void>];

/** Set by the first step; every later step reads them from here. */
export const ctx = { stack: undefined as unknown as Stack, admin: undefined as unknown as Browser, requested: [] as string[] };

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

export async function openScreen(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab, exact: true }).click();
  await page.waitForSelector('.shelfguard-resource-state__loading', { state: 'detached' });
}

/**
 * WordPress pins its admin bar and menu; in a full-page capture they would be painted mid-page.
 * The pictures leave the bar out and let the menu scroll with the page.
 */
const SCREENSHOT_CSS = '#wpadminbar { display: none !important; } html.wp-toolbar { padding-top: 0 !important; } #adminmenuwrap, #adminmenuback { position: absolute !important; }';

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, style: SCREENSHOT_CSS });
}

export async function daemonJson(path: string): Promise<any> {
  const answer = await ctx.stack.daemon.admin(path);
  expect(answer.status === 200, `daemon ${path} answered ${answer.status}`);
  return answer.json;
}
