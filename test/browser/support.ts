/** Browser tests' helpers: Debian's Chromium through playwright-core, sign-in through the web form and the emailed link, and screenshots at two widths. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { asPerson } from '../support/api-client';
import { waitForEmails } from '../support/mail';
import { testStack } from '../support/stack';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOTS = path.join(__dirname, 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A browser with a fresh profile of its own (one person each); `javaScriptEnabled: false` for the no-script checks. */
export async function openBrowser(opts: { javaScriptEnabled?: boolean; locale?: string } = {}): Promise<Browser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'summit-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: DESKTOP,
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    locale: opts.locale ?? 'en-GB',
    baseURL: testStack().apiUrl,
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The sign-in link in the newest web sign-in email to an address (after `seen` earlier ones). */
export async function webSignInLink(email: string, seen = 0): Promise<string> {
  const mails = await waitForEmails(
    `a sign-in email to ${email}`,
    (m) => m.to.some((t) => t.address === email) && m.headers['x-summit-notification'] === 'sign_in',
    seen + 1,
  );
  const text = mails[mails.length - 1].text ?? '';
  const match = /(https?:\/\/\S+\/sign-in\/link\?token=sfm_[A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no web sign-in link in: ${text}`);
  return match[1];
}

/** Signs in as a person would: the sign-in form, the email in the sink, the link's page and its button. */
export async function signInThroughEmail(b: Browser, email: string, startAt = '/'): Promise<void> {
  const { page } = b;
  await page.goto(startAt);
  await page.getByLabel(/Email address|Адрес электронной почты/).fill(email);
  await page.getByRole('button', { name: /sign-in link|ссылку для входа/i }).click();
  await page.getByRole('status').waitFor();
  await page.goto(await webSignInLink(email));
  await page.getByRole('button', { name: /^(Sign in|Войти)$/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

/** Saves the page as a screenshot at desktop and phone widths (test/browser/screenshots/NAME-desktop.png, NAME-phone.png). */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(before);
}

/** A datetime-local value some days ahead (the form reads it in the reader's zone). */
export function localInDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);
}

/**
 * Clicks something that loads a new page (a link, a form's button) and waits for that page. The target is
 * awaited first, so a missing one fails naming it rather than as a page that never loaded; the page itself
 * may take longer than one action under a whole suite's load.
 */
export async function follow(page: Page, target: Locator): Promise<void> {
  await target.waitFor();
  await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), target.click()]);
}

/** The id of the element that has the focus (a string evaluated in the page: the tests have no DOM types). */
export const focusedId = (page: Page) => page.evaluate(`document.activeElement ? document.activeElement.id : ''`);

/** The text of the first match, once it is there. */
export async function textOf(target: Locator): Promise<string> {
  await target.first().waitFor();
  return (await target.first().textContent()) ?? '';
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2 A/AA violations on the page as loaded ("rule: target" each); none is the goal. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP, which forbids inline scripts, does not apply.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResults> } }).axe;
    const results = await axe.run(globalThis, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  });
}
interface AxeResults {
  violations: { id: string; nodes: { target: string[] }[] }[];
}

/** What makes the page scroll sideways as a whole (wide content belongs in its own scroll box): none is the goal. */
export async function overflowsSideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    interface El {
      tagName: string;
      className: string;
      parentElement: El | null;
      getBoundingClientRect(): { right: number };
      closest(selector: string): El | null;
    }
    const doc = (
      globalThis as unknown as {
        document: { documentElement: { clientWidth: number; scrollWidth: number }; querySelectorAll(s: string): El[] };
      }
    ).document;
    const width = doc.documentElement.clientWidth;
    // Inside a scroll box (a table's, the navigation's) content may be wide; the box itself may not.
    const wide = [...doc.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.parentElement?.closest('.table-wrap, .nav'))
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).replace(/ /g, '.')}`);
    const scrolls = doc.documentElement.scrollWidth > width + 1;
    return scrolls ? [`the page is ${doc.documentElement.scrollWidth} px wide`, ...wide] : wide;
  });
}

/**
 * Words in Latin letters left on a Russian page, outside what is data rather than interface: the `allowed`
 * strings (what the test typed in English), people's names, summits' titles and cities, initiatives' and
 * commitments' titles (most tests give theirs in English only), any text holding an identifier a test made,
 * time-zone names, upper-case codes (KG, UTC, PDF), product names, text marked as another language (`lang="en"`:
 * an English text version, the link to the English UI) or `translate="no"`, and `<code>`. None is the goal.
 */
export async function englishLeft(page: Page, allowed: string[] = []): Promise<string[]> {
  const sec = asPerson('secretariat');
  const [people, rotation] = await Promise.all([sec.get('/api/directory/people'), sec.get('/api/directory/rotation')]);
  // Summits given no Russian title or city show the English ones.
  const summits = (rotation.body.items as { summit?: { title: string; city: string } }[]).flatMap((r) =>
    r.summit ? [r.summit.title, r.summit.city] : [],
  );
  const data = [
    ...allowed,
    ...summits,
    ...(people.body.items as { name: string }[]).map((p) => p.name),
    ...(await initiativeTitles()),
  ];
  const nodes = (await page.evaluate(`(() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const out = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style, code, [translate="no"], [hidden]')) continue;
      if (el.closest('[lang]').getAttribute('lang') !== 'ru') continue;
      out.push(n.textContent);
    }
    return out;
  })()`)) as string[];
  const TEST_ID = /[a-z0-9-]+-[a-z0-9]{8}-[a-z0-9]{4}\b/;
  // Whitespace as the page shows it: HTML reads a stored CR as a line feed.
  const spaced = (x: string) => x.replace(/\s+/g, ' ');
  let rest = spaced(nodes.filter((n) => !TEST_ID.test(n)).join('\n'));
  rest = rest.replace(/https?:\/\/\S+/g, ' ').replace(/\b[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+/g, ' ');
  for (const a of data.map(spaced).sort((x, y) => y.length - x.length)) rest = rest.split(a).join(' ');
  rest = rest.replace(/\b[A-Z]{2,5}\b/g, ' ').replace(/\bWord\b/g, ' ');
  // A word of Latin letters only: hashes and identifiers mix in digits.
  const words = rest.split(/[^\p{L}\p{N}'’-]+/u).filter((w) => /^[A-Za-z][A-Za-z'’-]*[A-Za-z]$/.test(w));
  return [...new Set(words)];
}

/** Every stored initiative's titles, as the list gives them, and every commitment's, as the matrix does. */
async function initiativeTitles(): Promise<string[]> {
  const matrix = await asPerson('secretariat').get('/api/commitments/matrix');
  const titles: string[] = (matrix.body.rows as { commitment: { title: string } }[]).map((r) => r.commitment.title);
  for (let offset = 0; ; offset += 200) {
    const page = await asPerson('secretariat').get(`/api/initiatives?limit=200&offset=${offset}`);
    const items = page.body.items as { title: string; titleRu?: string }[];
    titles.push(...items.flatMap((i) => [i.title, ...(i.titleRu ? [i.titleRu] : [])]));
    if (items.length < 200) return titles;
  }
}
