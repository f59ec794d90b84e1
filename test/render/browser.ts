import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's chromium; the browser tests skip (with this reason) when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_MISSING = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing (apt-get install chromium)`;

export function launchChromium(): Promise<Browser> {
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
