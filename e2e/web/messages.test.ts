import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createPool, createTokenVerifier } from '@emporium/kit';
import { captureLogs, createTestDatabase } from '@emporium/kit/testing';
import { buildApp as buildAnalytics } from '../../services/analytics/src/app.ts';
import { readConfig as analyticsConfig } from '../../services/analytics/src/config.ts';
import { consumeFrom, result } from '../../services/analytics/test/helpers.ts';
import { address } from '../checkout/shop.ts';
import { eventually, mailbox } from '../notifications/mailbox.ts';
import { startNotifyingShop, type NotifyingShop } from '../notifications/notify-shop.ts';
import { assertAccessible, contextFor, launch, screenshot, skip as noBrowser, until } from './browser.ts';

// The pages that need the notification service and the analytics API, in a real browser: the shop of
// e2e/notifications (its own Kafka broker, Mailpit) with the analytics service behind the same gateway, fed
// the way the Flink job feeds it (transactional messages on a topic of its own), without the job.
const smtpUrl = process.env['EMPORIUM_TEST_SMTP_URL'];
const mailpitUrl = process.env['EMPORIUM_TEST_MAILPIT_URL'];
const skip = noBrowser || (smtpUrl && mailpitUrl ? false : 'no Mailpit (run with npm test)');
const inbox = mailbox(mailpitUrl ?? '');
const tag = randomUUID().slice(0, 6);
const admin = { email: 'admin@example.com', password: 'admin-password-1' };
let shop: NotifyingShop;
let browser: Browser;
let results: Awaited<ReturnType<typeof consumeFrom>>;
let item: { id: number; name: string };
type Customer = Awaited<ReturnType<NotifyingShop['login']>>;
let customer: Customer;
let buyer: Customer;
let customerOrder: { id: number };
let buyerOrder: { id: number };

before(
  async () => {
    if (skip) return;
    shop = await startNotifyingShop({
      smtpUrl: smtpUrl!,
      more: async ({ jwks }) => {
        const db = await createTestDatabase(path.join(import.meta.dirname, '../../services/analytics/migrations'));
        const pool = createPool(db.url, 5);
        const config = analyticsConfig({ DATABASE_URL: db.url, JWKS_URL: jwks, LOG_LEVEL: 'warn' });
        const verify = createTokenVerifier({ jwksUrl: jwks });
        const app = await buildAnalytics(config, { pool, verify, logStream: captureLogs().stream });
        await app.listen({ port: 0, host: '127.0.0.1' });
        results = await consumeFrom({ app, pool });
        const port = (app.server.address() as { port: number }).port;
        return {
          gatewayEnv: { ANALYTICS_URL: `http://127.0.0.1:${port}` },
          async close() {
            await results.stop();
            await app.close();
            await pool.end();
            await db.drop();
          },
        };
      },
    });
    item = await shop.product(20, 18.5);
    // Both tests' orders are placed up front: their mails go out while the browser starts.
    [customer, buyer] = await Promise.all([shop.login(`wm_${tag}`), shop.login(`wl_${tag}`)]);
    [customerOrder, buyerOrder] = await Promise.all([placeOrder(customer.auth), placeOrder(buyer.auth)]);
    browser = await launch();
  },
  // Its own Kafka broker and six services: on a loaded machine this takes longer than a test's 120 s.
  { timeout: 600_000 },
);
after(async () => {
  if (skip) return;
  await browser?.close();
  await shop?.close();
});

async function placeOrder(auth: Record<string, string>) {
  const body = { items: [{ product_id: item.id, quantity: 2 }], shipping_address: address };
  const res = await shop.call('POST', '/api/orders', body, auth);
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json as { id: number };
}

describe('messages, notification log, password reset and analytics in the browser', { skip }, () => {
  test('a customer orders: the messages page shows the confirmation; channel settings are saved', async () => {
    const [name, me, order] = [`wm_${tag}`, customer, customerOrder];
    const subject = `Order #${order.id} confirmed`;
    // The mail is in the log once the consumer handled the event; the page is opened after that, not polled.
    await eventually('the confirmation in the customer’s messages', async () => {
      const res = await shop.call('GET', '/api/notifications?limit=10', undefined, me.auth);
      return res.json.items.some(
        (m: { subject: string; status: string }) => m.subject === subject && m.status === 'sent',
      )
        ? true
        : undefined;
    });
    const context = await contextFor(browser, shop, { as: { username: name, password: 'a-good-password' } });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
    await page.getByRole('heading', { name: 'Messages' }).waitFor();
    await page.getByText(subject).click();
    await page.getByText(`Order #${order.id} is paid and confirmed`).waitFor();
    const meta = await page.locator('.message', { hasText: subject }).locator('.message-meta').textContent();
    assert.match(
      meta!,
      new RegExp(`Email to ${name}@example.com · \\w{3} \\d{1,2}, 20\\d\\d, \\d{1,2}:\\d\\d\\s[AP]M · Sent`),
    );
    await assertAccessible(page, 'messages');
    await screenshot(page, 'storefront-messages');

    // SMS needs a phone number on the account: the API says so (409) and nothing changes.
    await page.getByLabel('Text messages').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Add a phone number on your account first.').waitFor();
    await assertAccessible(page, 'settings with an error');
    await page.getByLabel('Text messages').uncheck();
    await page.getByLabel('Offers and news').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    const saved = await shop.call('GET', `/api/users/${me.id}/notification-settings`, undefined, me.auth);
    assert.deepEqual(
      [saved.json.email, saved.json.sms, saved.json.promotional],
      [true, false, true],
      'email stays on, SMS off, offers on',
    );
    await context.close();
  });

  test('an admin finds an order’s deliveries, sends a message, retries a dead one and previews templates', async () => {
    const order = buyerOrder;
    await eventually('both deliveries of the order', async () => {
      const res = await shop.call('GET', `/api/notifications/deliveries?order_id=${order.id}`, undefined, shop.admin);
      return res.json.items.length === 2 ? true : undefined;
    });
    const context = await contextFor(browser, shop, { as: admin });
    const page = await context.newPage();
    await page.goto('/admin/notifications');
    await page.getByRole('heading', { name: 'Notification log' }).waitFor();
    await page.getByLabel('Order').fill(String(order.id));
    await page.getByRole('button', { name: 'Filter' }).click();
    const rows = page.locator('tbody tr');
    await until('the order’s two deliveries', async () => (await rows.count()) === 2);
    assert.deepEqual((await rows.locator('td:nth-child(2)').allTextContents()).sort(), [
      'order confirmation',
      'payment confirmation',
    ]);
    await assertAccessible(page, 'notification log');
    await screenshot(page, 'admin-notifications');
    await page.getByLabel('Order').fill('abc');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('Order is not in the right format').or(page.getByText('Order must be integer')).waitFor();

    // The admin sends a message; the delivery is then made dead (exhausting real retries takes minutes) and retried.
    await page.getByRole('link', { name: 'Send a message' }).click();
    await page.getByLabel('To', { exact: true }).fill(`wl_${tag}_news@example.com`);
    await page.getByLabel('Subject (optional)').fill('Shop closed on Monday');
    await page.getByLabel('Text').fill('We are closed on Monday for stocktaking.');
    await page.getByRole('button', { name: 'Send' }).click();
    const queued = page.getByRole('link', { name: /^delivery #\d+$/ });
    await queued.waitFor();
    await assertAccessible(page, 'send form');
    const id = (await queued.textContent())!.replace('delivery #', '');
    await inbox.waitFor(`wl_${tag}_news@example.com`, /^Shop closed on Monday$/);
    await shop.notificationsPool.query(
      "UPDATE deliveries SET status = 'dead', attempts = 3, last_error = '550 mailbox unavailable' WHERE id = $1",
      [id],
    );
    await queued.click();
    await page.getByRole('heading', { name: `Delivery #${id} dead` }).waitFor();
    await page.getByText('550 mailbox unavailable').waitFor();
    await assertAccessible(page, 'a dead delivery');
    await screenshot(page, 'admin-delivery');
    await page.getByRole('button', { name: 'Retry this delivery' }).click();
    await page.getByRole('heading', { name: `Delivery #${id} sent` }).waitFor();
    await inbox.waitFor(`wl_${tag}_news@example.com`, /^Shop closed on Monday$/, 2);

    await page.goto('/admin/notifications/templates');
    await page.getByRole('button', { name: 'Preview order shipped' }).click();
    await page.getByRole('heading', { name: 'Preview: order shipped' }).waitFor();
    await page
      .frameLocator('iframe[title="email preview, HTML"]')
      .getByText(/left our warehouse/)
      .first()
      .waitFor();
    await assertAccessible(page, 'templates');
    await screenshot(page, 'admin-templates');
    await context.close();
  });

  test('a reset mail’s link opens the reset page; the new password works', async () => {
    const name = `wr_${tag}`;
    await shop.login(name);
    const context = await contextFor(browser, shop);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: /forgot/i }).click();
    await page.getByLabel('Email').fill(`${name}@example.com`);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText('a reset link is on its way').waitFor();
    const [mail] = await inbox.waitFor(`${name}@example.com`, /^Reset your Emporium password$/);
    const link = new URL(/https?:\/\/\S+\/reset-password\?token=\S+/.exec(mail!.Text)![0]);
    assert.equal(link.pathname, '/reset-password');
    // The mail names the storefront's origin (STOREFRONT_URL; npm start sets the gateway's); here, this gateway.
    await page.goto(link.pathname + link.search);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await assertAccessible(page, 'reset page');
    await page.getByLabel('New password').fill('a-newer-password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password is changed').waitFor();
    const login = await shop.call('POST', '/api/users/login', { username: name, password: 'a-newer-password' });
    assert.equal(login.status, 200);
    await context.close();
  });

  test('the analytics dashboard shows the latest window and follows new results live', async () => {
    const five = 5 * 60_000;
    const start = (back: number) => new Date(Math.floor(Date.now() / five) * five - back * five).toISOString();
    const [w1, w2] = [start(2), start(1)];
    await results.publish([
      result('window_summary', w1, { orders_placed: 4, orders_paid: 3, revenue: 45.5, average_order_value: 15.17 }),
      result('top_products', w1, { rank: 1, product_id: 5, product_name: 'Copper Kettle', quantity: 3, revenue: 45.5 }),
      result('orders_by_region', w1, { region: 'GB', orders_paid: 3, revenue: 45.5 }),
      result('peak_hours', w1, { hour: new Date(w1).getUTCHours(), orders_paid: 3, revenue: 45.5 }),
      result('anomaly', w1, { metric: 'orders_placed', value: 4, expected: 1, reason: 'four times the recent mean' }),
    ]);
    const context = await contextFor(browser, shop, { as: admin });
    const page = await context.newPage();
    await page.goto('/admin/analytics');
    const kpi = (name: string) => page.locator(`[data-kpi="${name}"]`).textContent();
    await until('the first window', async () => (await page.locator('[data-kpi]').count()) === 4, 30_000);
    assert.deepEqual(
      [await kpi('orders_placed'), await kpi('orders_paid'), await kpi('revenue'), await kpi('average_order_value')],
      ['4', '3', '$45.50', '$15.17'],
    );
    await page.getByRole('cell', { name: 'Copper Kettle' }).waitFor();
    await page.getByText('four times the recent mean').waitFor();
    await page.locator('.live-live').waitFor();
    await assertAccessible(page, 'analytics dashboard');
    await screenshot(page, 'admin-analytics');

    // A new window arrives over the stream: the page shows it without a reload (no polling while live).
    await results.publish([
      result('window_summary', w2, { orders_placed: 9, orders_paid: 8, revenue: 120, average_order_value: 15 }),
    ]);
    await until('the new window', async () => (await kpi('orders_placed')) === '9', 30_000);
    assert.equal(await kpi('revenue'), '$120.00');
    assert.equal((await page.getByRole('row').filter({ hasText: '$45.50' }).count()) > 0, true, 'w1 in recent windows');
    await context.close();
  });
});
