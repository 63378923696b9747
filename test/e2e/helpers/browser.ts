// Chromium via playwright-core (Debian's /usr/bin/chromium; no browser download). Every page records
// console errors and page errors; a test passes only when there were none.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOTS = 'test-results/screenshots';

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/**
 * A fresh browser tab. The browser's zone is deliberately far from the clinic's (Pacific/Auckland vs
 * America/New_York), so any time rendered in the browser's zone instead of the clinic's shows up.
 */
export async function openSession(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Session> {
  // bypassCSP: axe-core is injected as a script, which the app's CSP rightly refuses otherwise.
  const context = await browser.newContext({
    viewport,
    timezoneId: 'Pacific/Auckland',
    locale: 'en-US',
    acceptDownloads: true,
    bypassCSP: true,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A navigation away cancels in-flight reads on purpose; anything else failing is a problem.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  return { context, page, problems };
}

export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A focused field's highlight is noise in a picture of the view.
  await page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()');
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** The page is no wider than the window: nothing makes the user scroll sideways. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

/** Launches Chromium for a test file and checks, after each test, that its tabs logged no error. */
export function browserSuite() {
  let browser: Browser | undefined;
  const sessions: Session[] = [];
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    const problems = sessions.flatMap((s) => s.problems);
    for (const s of sessions.splice(0)) await s.context.close();
    expect(problems).toEqual([]);
  });
  return {
    async open(viewport?: { width: number; height: number }): Promise<Session> {
      if (!browser) throw new Error('browser not launched');
      const s = await openSession(browser, viewport);
      sessions.push(s);
      return s;
    },
  };
}

/** "Thu, Nov 26, 2026", as the dashboard writes a date. */
export const shortDate = (iso: string) =>
  new Intl.DateTimeFormat('en-US', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's findings of impact serious or critical on the page as it is now (WCAG 2.x A and AA rules). */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate<AxeFinding[]>(`(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  })()`);
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Presses Tab until `target` has the focus (at most `max` times); fails when it never gets it. */
/** True when the element has the keyboard focus. */
export const hasFocus = (target: Locator): Promise<boolean> =>
  target.evaluate((el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement).catch(() => false);

export async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('the element never took the focus by Tab');
}

/** The element with the focus, described for a failure message. */
export const focused = (page: Page) =>
  page.evaluate<string>(
    '(() => { const e = document.activeElement; return e ? `${e.tagName.toLowerCase()}:${(e.textContent ?? "").trim().slice(0, 60)}` : "none"; })()',
  );

/** Takes out of a session's problems the browser's own log of a refusal the test provoked on purpose. */
export function expectRefusalLogged(s: Session, status: number): void {
  const mark = `status of ${status}`;
  expect(s.problems.some((m) => m.includes(mark))).toBe(true);
  s.problems.splice(0, s.problems.length, ...s.problems.filter((m) => !m.includes(mark)));
}
