// How the customer list loads (issue 16 item 7), measured in Chromium against the built console:
// which scripts its first load fetches and their compressed size as sent (the .br file beside
// each bundle in dist/web), and the time from navigation to its first row, on an empty cache and
// then on a warm one (the agent's every later visit: bundles cached as immutable, index.html
// revalidated).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT } from './browser.ts';

const WARM_VISITS = 5;
const ROW = '[data-customer-id]';

export interface CustomerListLoad {
  /** The scripts the first load fetched (file names in assets/), and how each came. */
  scripts: { file: string; encoding: string; brotliBytes: number }[];
  brotliBytes: number;
  /** Page chunks (…Page-hash.js) of other areas among them: none, when the split holds. */
  otherAreas: string[];
  coldMs: number;
  warmMs: number[];
  warmMedianMs: number;
}

/** The rows' arrival, noted by the page itself: performance.now() counts from navigation. */
function watchForFirstRow(selector: string) {
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    (window as unknown as { kundeFirstRow: number }).kundeFirstRow = performance.now();
    observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
}

export async function measureCustomerList(
  browser: Browser,
  baseURL: string,
  login: { email: string; password: string },
): Promise<CustomerListLoad> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  try {
    const loggedIn = await context.request.post('/api/v1/session', { data: login });
    if (!loggedIn.ok()) throw new Error(`login answered ${loggedIn.status()}`);
    await context.addInitScript(watchForFirstRow, ROW);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const scripts: CustomerListLoad['scripts'] = [];
    page.on('response', (response) => {
      const match = /\/assets\/([^/?]+\.js)$/.exec(new URL(response.url()).pathname);
      if (!match?.[1]) return;
      const file = match[1];
      const built = path.join(ROOT, 'dist', 'web', 'assets', file);
      const compressed = fs.existsSync(`${built}.br`) ? `${built}.br` : built;
      scripts.push({
        file,
        encoding: response.headers()['content-encoding'] ?? 'identity',
        brotliBytes: fs.statSync(compressed).size,
      });
    });

    const visit = async () => {
      await page.goto('/customers');
      await page.locator(ROW).first().waitFor({ state: 'visible' });
      return Math.round(
        await page.evaluate(() => (window as unknown as { kundeFirstRow: number }).kundeFirstRow),
      );
    };
    const coldMs = await visit();
    const firstLoad = [...scripts];
    // Later visits fetch nothing new; the page's own lazy chunks would show up here.
    const warmMs: number[] = [];
    for (let n = 0; n < WARM_VISITS; n++) warmMs.push(await visit());
    const sorted = [...warmMs].sort((a, b) => a - b);
    return {
      scripts: firstLoad,
      brotliBytes: firstLoad.reduce((sum, script) => sum + script.brotliBytes, 0),
      otherAreas: firstLoad.map((s) => s.file).filter((file) => /Page-[\w-]+\.js$/.test(file)),
      coldMs,
      warmMs,
      warmMedianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    };
  } finally {
    await context.close();
  }
}
