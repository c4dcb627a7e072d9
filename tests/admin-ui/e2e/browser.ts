/**
 * Debian's Chromium through playwright-core, launched the way shared/wordpress-test-env.md
 * records as working here, and a wp-login.php sign-in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  // Playwright refuses --user-data-dir in args: a persistent context in a fresh folder instead.
  const folder = mkdtempSync(join(tmpdir(), 'shelfguard-chromium-'));
  const context = await chromium.launchPersistentContext(folder, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1400, height: 1000 }, timezoneId: 'UTC' });
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page, async close() { await context.close(); rmSync(folder, { recursive: true, force: true }); } };
}

export async function logIn(page: Page, siteUrl: string, user: string, password: string): Promise<void> {
  await page.goto(`${siteUrl}/wp-login.php`);
  await page.fill('#user_login', user);
  await page.fill('#user_pass', password);
  await Promise.all([page.waitForURL(/\/wp-admin\//), page.click('#wp-submit')]);
}
