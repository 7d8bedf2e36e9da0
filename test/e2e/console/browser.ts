import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHROMIUM, CHROMIUM_FLAGS } from '@procura/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Screenshots of the journeys: test artefacts, git-ignored. */
export const ARTEFACTS = resolve(__dirname, '..', '..', '..', 'test-artifacts', 'console');

export interface ConsoleBrowser {
  context: BrowserContext;
  /** Content-Security-Policy violations and page errors seen so far (none expected). */
  problems: string[];
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /**
   * A page in a context of its own (its own storage and clock): for a test that moves the page's
   * clock (`page.clock` governs every page of a context).
   */
  isolatedPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

const CONTEXT_OPTIONS = {
  viewport: { width: 1280, height: 800 },
  locale: 'fr-FR',
  timezoneId: 'Europe/Paris',
  acceptDownloads: true,
};

/** Chromium headless; each page is its own tab (the console keeps its session per tab). */
export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const contexts: BrowserContext[] = [];
  const newContext = async () => {
    const context = await browser.newContext(CONTEXT_OPTIONS);
    context.setDefaultTimeout(20_000);
    contexts.push(context);
    return context;
  };
  const context = await newContext();
  const problems: string[] = [];
  mkdirSync(ARTEFACTS, { recursive: true });
  const watch = async (page: Page, viewport?: { width: number; height: number }) => {
    if (viewport) await page.setViewportSize(viewport);
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    return page;
  };
  return {
    context,
    problems,
    newPage: async (viewport) => watch(await context.newPage(), viewport),
    isolatedPage: async (viewport) => watch(await (await newContext()).newPage(), viewport),
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core in the page (evaluated through the DevTools protocol, which the page's CSP does not
 * govern), WCAG 2.1 A and AA rules: the serious and critical violations.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  // A string, not a function: the test code is type-checked without the DOM's types.
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  })()`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A screenshot of the screen as it is now, and the accessibility scan of that screen. */
export async function screen(page: Page, name: string, scans: Map<string, AxeViolation[]>): Promise<void> {
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
  scans.set(name, await seriousViolations(page));
}
