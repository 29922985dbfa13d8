import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { testBrokers } from '@emporium/messaging/testing';
import type { Shop } from '../checkout/shop.ts';

/** Debian's Chromium (`.ci/run` installs it); playwright-core never downloads a browser. */
export const chromiumPath = process.env['EMPORIUM_CHROMIUM'] ?? '/usr/bin/chromium';

export const skip = !testBrokers().length
  ? 'no Kafka broker (run with npm test)'
  : !existsSync(chromiumPath)
    ? `no Chromium at ${chromiumPath} (apt-get install chromium)`
    : false;

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };
const screenshots = path.join(import.meta.dirname, '../../docs/screenshots');

export function launch(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A browser context on the shop, already signed in when `as` is given (the session the storefront stores). */
export async function contextFor(
  browser: Browser,
  shop: Shop,
  options: { as?: { username?: string; email?: string; password: string }; viewport?: typeof DESKTOP } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: shop.urls.gateway,
    viewport: options.viewport ?? DESKTOP,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  if (options.as) {
    const { username, email, password } = options.as;
    const res = await shop.call('POST', '/api/users/login', username ? { username, password } : { email, password });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    const session = {
      user: res.json.user,
      accessToken: res.json.access_token,
      refreshToken: res.json.refresh_token,
      expiresAt: Date.now() + res.json.expires_in * 1000,
    };
    await context.addInitScript((s) => {
      if (!localStorage.getItem('emporium.session')) localStorage.setItem('emporium.session', s);
    }, JSON.stringify(session));
  }
  return context;
}

/** axe-core on the page as it is now: no serious or critical violation of WCAG 2.1 A/AA or best practice. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  assert.deepEqual(report, [], `${what}: accessibility violations`);
}

/** A screenshot of the page at phone and desktop width, into docs/screenshots/ (linked from the README). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(screenshots, `${name}-${size}.png`), animations: 'disabled' });
  }
  await page.setViewportSize(original);
}

/** Waits until `check` holds (the pages update themselves: polling, refetches), or fails after `ms`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A small catalog with self-hosted pictures, so the pages look like a shop. */
export async function stockShop(shop: Shop, tag: string) {
  const make = async (name: string, category: string, price: number, stock: number, description: string) => {
    const sku = `${tag}-${name
      .replace(/[^A-Za-z]/g, '')
      .slice(0, 10)
      .toUpperCase()}`;
    const res = await shop.call(
      'POST',
      '/api/products',
      { name, category, price, stock_quantity: stock, sku, description, image_url: `/api/products/images/${sku}.svg` },
      shop.admin,
    );
    assert.equal(res.status, 201, JSON.stringify(res.json));
    return res.json as { id: number; name: string; price: number; sku: string };
  };
  return {
    lamp: await make('Walnut Desk Lamp', 'Home', 49.99, 5, 'A warm lamp in oiled walnut with a linen shade.'),
    pillow: await make('Linen Throw Pillow', 'Home', 24.5, 8, 'Stonewashed linen, feather filled.'),
    kettle: await make('Copper Kettle', 'Kitchen', 79, 3, 'Hand-hammered copper, 1.5 litres.'),
    mug: await make('Stoneware Mug', 'Kitchen', 14.25, 0, 'Reactive glaze; every one is different.'),
    board: await make('Oak Cutting Board', 'Kitchen', 39.95, 12, 'End-grain oak with juice groove.'),
  };
}
