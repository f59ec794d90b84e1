import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/**
 * Debian's chromium. The browser tests need it to see the pages as a reader does; without it they
 * fail with the install command (they never skip: CI installs chromium).
 */
export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it (apt-get install chromium) to run the browser tests`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * One Chromium for the tests of the calling file: launched before its first test, closed after its
 * last (node:test hooks registered here). Tests open their pages with `newPage`.
 */
export function chromiumForTests(): { newPage(options?: BrowserContextOptions): Promise<Page> } {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  return {
    newPage: (options) => {
      if (!browser) throw new Error('Chromium is not running: newPage is for the tests, not the file body');
      return browser.newPage(options);
    },
  };
}

/** What a page did while loading: console errors, page errors, and every request URL. */
export interface PageLog {
  errors: string[];
  requests: string[];
}

export function recordPage(page: Page): PageLog {
  const log: PageLog = { errors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('request', (r) => log.requests.push(r.url()));
  return log;
}

/** Requests that left the file (anything but file: and data: URLs). */
export function networkRequests(log: PageLog): string[] {
  return log.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'));
}
