import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where the suite leaves a screenshot of every page (named in the README). */
export const SHOTS = path.resolve(__dirname, '../../.tmp/console-screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface Session {
  context: BrowserContext;
  page: Page;
  /** console errors and uncaught page errors, in order */
  errors: string[];
}

/** Headless Chromium (Debian's package) on the console of a running exporter. */
export class ConsoleBrowser {
  private browser: Browser | undefined;

  constructor(private readonly baseUrl: () => string) {}

  async start(): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    this.browser = await chromium.launch({ executablePath: CHROMIUM });
  }

  async stop(): Promise<void> {
    await this.browser?.close();
  }

  /** A fresh tab signed in with `token` on `hash` (the login page is photographed on the way). */
  async signIn(token: string, hash: string): Promise<Session> {
    if (!this.browser) throw new Error('ConsoleBrowser.start() first');
    const context = await this.browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${this.baseUrl()}/console/${hash}`);
    await page.waitForSelector('body[data-page="login"]');
    await shot(page, 'login');
    await page.fill('#token', token);
    await page.click('button[type="submit"]');
    await page.waitForSelector('body[data-ready="true"]:not([data-page="login"])');
    return { context, page, errors };
  }
}

/** Navigates the console's hash route and waits for the page's data on screen. */
export async function show(page: Page, name: string, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.waitForSelector(`body[data-ready="true"][data-page="${name}"]`);
}

export const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/** The text of a `data-testid` element. */
export async function testid(page: Page, id: string): Promise<string | null> {
  return page.textContent(`[data-testid="${id}"]`);
}
