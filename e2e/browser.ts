// Shared set-up for browser tests: an up-to-date build of the console in dist/web, Debian's
// Chromium driven by playwright-core (no downloaded browser), and small helpers for waiting.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { ensureBuilt } from '../scripts/build.mjs';
import { startTestServer, type TestServer } from '../server/test/server.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the console as `npm start` does (scripts/build.mjs) unless dist/web is current. */
export async function ensureWebBuild(): Promise<void> {
  await ensureBuilt(['web']);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Waits until the locator is visible (fails after the page's default timeout). */
export async function see(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible' });
}

/** Waits until nothing matches the locator any more. */
export async function seeNo(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'hidden' });
}

/** The text of the elements that describe an input (Mantine puts an input's error there). */
export function descriptionOf(input: Locator): Promise<string> {
  return input.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : ''))
      .join(' ')
      .trim(),
  );
}

/** Saves a screenshot under .tmp/ to look at when a browser test fails. */
export async function screenshotOnFailure(page: Page | undefined, name: string): Promise<void> {
  if (!page) return;
  const dir = path.join(ROOT, '.tmp');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `e2e-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
}

/** The console's menu on the left, in either language. */
export function menu(page: Page): Locator {
  return page.getByRole('navigation', { name: /^(Main navigation|Hovedmeny)$/ });
}

/**
 * Opens a section of the console's menu (Administration, Tickets, …) and waits until it is fully
 * open. The toggle is clicked only when the section is closed: clicking it blindly closes a
 * section that is already open. And a link in the section is followed only once the section's
 * height animation (Mantine's Collapse, 200 ms) has ended: a click while it runs (CI on two busy
 * cores) gets its mousedown on the link and its mouseup on the section's list, so the browser
 * sends the click to the list and nothing navigates. That lost click was the Norwegian tickets
 * test's timeout waiting for "Utboks".
 */
export async function openMenuSection(page: Page, section: string): Promise<void> {
  const toggle = menu(page).getByRole('button', { name: section, exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const id = await toggle.getAttribute('aria-controls');
  if (!id) throw new Error(`The menu section ${section} controls no list`);
  // Open: laid out at its full height, with no transition still running on it.
  await page.waitForFunction((collapseId) => {
    const element = document.getElementById(collapseId);
    if (!element || element.getAttribute('aria-hidden') !== 'false') return false;
    return (
      element.scrollHeight > 0 &&
      // scrollHeight is rounded to a whole pixel, the box's height is not (a menu of eight
      // links is 367.5 px high): allow the rounding.
      element.getBoundingClientRect().height + 1 >= element.scrollHeight &&
      element.getAnimations().length === 0
    );
  }, id);
}

/** Follows a link in a section of the console's menu (Administration → Outbox). */
export async function followMenuLink(page: Page, section: string, link: string): Promise<void> {
  await openMenuSection(page, section);
  await menu(page).getByRole('link', { name: link, exact: true }).click();
}

export interface ConsoleSession {
  server: TestServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A built console on a fresh Kunde (SQLite), and a Chromium page pointed at it. */
export async function startConsole(
  viewport?: { width: number; height: number },
  /**
   * Webhooks to a receiver on 127.0.0.1 in the test (off, as in production, unless asked);
   * smtpUrl: outbound mail to an SMTP server in the test (without it mail is held).
   */
  options: { allowPrivateWebhooks?: boolean; smtpUrl?: string } = {},
): Promise<ConsoleSession> {
  await ensureWebBuild();
  // An empty database: the console tests begin with first-run setup, so no neighbour account.
  const server = await startTestServer({
    dialect: 'sqlite',
    neighbour: false,
    allowPrivateWebhooks: options.allowPrivateWebhooks,
    smtpUrl: options.smtpUrl,
  });
  const browser = await launchChromium();
  const context = await browser.newContext({
    locale: 'en-US',
    baseURL: server.url,
    ...(viewport ? { viewport } : {}),
  });
  const page = await context.newPage();
  // Generous: CI runs the browser tests beside the server tests on two cores; a wait ends as soon
  // as its element shows.
  page.setDefaultTimeout(20_000);
  return {
    server,
    browser,
    context,
    page,
    close: async () => {
      await browser.close();
      await server.services.worker.stop();
      await server.close();
    },
  };
}
