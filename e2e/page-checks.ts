// What the page sweep checks on every page of the console and the Hub (issue 16 items 8 and 9):
// axe-core's serious and critical violations, horizontal overflow at a given width, and a
// screenshot kept under test-artifacts/screenshots/ (git-ignored) for a person to look at. Each
// answer names the page, so a failure says where to look without opening a trace.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT } from './browser.ts';

export const SCREENSHOT_DIR = path.join(ROOT, 'test-artifacts', 'screenshots');
const AXE_SOURCE = fs.readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** One finding, phrased for the failure message: "Tickets (nb): color-contrast on 3 nodes: …". */
export type Finding = string;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: {
    target: unknown[];
    any?: { data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } | null }[];
  }[];
}

/** A node's target, with the colours axe measured when the finding is about contrast. */
function describeNode(node: AxeViolation['nodes'][number]): string {
  const colours = node.any?.find((check) => check.data?.contrastRatio !== undefined)?.data;
  const target = JSON.stringify(node.target);
  return colours
    ? `${target} (${colours.fgColor} on ${colours.bgColor}, ${colours.contrastRatio}:1)`
    : target;
}

/**
 * Waits until the page has drawn its content: a top-level heading, no loader spinning (Mantine's
 * Loader carries the "Loading…" label), no page chunk still being fetched.
 */
export async function waitForPage(page: Page, ready?: Locator): Promise<void> {
  if (ready) await ready.first().waitFor({ state: 'visible' });
  await page.waitForFunction(
    () =>
      document.querySelector('h1') !== null &&
      document.querySelector('.mantine-Loader-root') === null &&
      document.querySelector('.mantine-Skeleton-root[data-visible]') === null,
  );
  // Mantine's transitions (collapse, fade-in of a page's alert) end within 200 ms; axe's contrast
  // check on a half-faded element would report colours the agent never sees.
  await page.waitForTimeout(250);
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeFindings(page: Page, name: string): Promise<Finding[]> {
  // A dialog fading in is checked as it will be shown, not half transparent: a colour blended
  // with the page behind it mid-transition fails contrast that it meets once shown.
  await page
    .waitForFunction(
      () =>
        document
          .getAnimations()
          .every(
            (a) =>
              a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity,
          ),
      undefined,
      { timeout: 5000 },
    )
    .catch(() => undefined);
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: unknown[];
    };
    return result.violations;
  });
  return (violations as AxeViolation[])
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${name}: ${violation.id} (${violation.impact}) ${violation.help} on ` +
        violation.nodes.slice(0, 4).map(describeNode).join(', ') +
        (violation.nodes.length > 4 ? ` and ${violation.nodes.length - 4} more` : ''),
    );
}

/**
 * Whether the page runs wider than the window (a horizontal scrollbar), and if so the elements
 * that stick out furthest, by tag, class and text, so the failure says what to fix.
 */
export async function overflowFindings(page: Page, name: string): Promise<Finding[]> {
  const overflow = await page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const widest = [...document.body.querySelectorAll('*')]
      .map((element) => ({ element, right: element.getBoundingClientRect().right }))
      .filter(({ right }) => right > root.clientWidth + 1)
      .sort((a, b) => b.right - a.right)
      .slice(0, 3)
      .map(({ element, right }) => {
        const classes = [...element.classList].slice(0, 2).join('.');
        const text = (element.textContent ?? '').trim().slice(0, 30);
        return `${element.tagName.toLowerCase()}${classes ? `.${classes}` : ''} "${text}" to ${Math.round(right)} px`;
      });
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest };
  });
  if (!overflow) return [];
  return [
    `${name}: ${overflow.scrollWidth} px wide in a ${overflow.clientWidth} px window ` +
      `(${overflow.widest.join('; ')})`,
  ];
}

/** A screenshot of the window (not the full page: the width is what is checked) for the artifacts. */
export async function keepScreenshot(page: Page, file: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${file}.png`) });
}

/**
 * Presses Tab (or Shift+Tab) until `target` has the keyboard focus; fails naming the target
 * when it is not reached within `limit` presses: the keyboard path is not there.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  { backwards = false, limit = 80 } = {},
): Promise<void> {
  // The target found once, not per press: resolving a role locator walks the accessibility
  // tree of the whole page, which made a long tab path take half a minute. Found again only
  // when React has replaced the element.
  let element: Awaited<ReturnType<Locator['elementHandle']>> | null = await target.elementHandle();
  for (let presses = 0; presses < limit; presses++) {
    const state = await element
      ?.evaluate((el) => (el.isConnected ? el === document.activeElement : undefined))
      .catch(() => undefined);
    if (state === true) return;
    if (state === undefined)
      element = await target.elementHandle({ timeout: 1000 }).catch(() => null);
    else await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${String(target)} not reached with ${limit} presses of the Tab key`);
}
