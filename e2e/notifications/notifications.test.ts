import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { orderStatusChangedV1Example } from '@emporium/events';
import { readTopic } from '@emporium/messaging/testing';
import { address } from '../checkout/shop.ts';
import { eventually, mailbox } from './mailbox.ts';
import { startNotifyingShop, type NotifyingShop } from './notify-shop.ts';
import { startProviders } from './providers.ts';

const smtpUrl = process.env['EMPORIUM_TEST_SMTP_URL'];
const mailpitUrl = process.env['EMPORIUM_TEST_MAILPIT_URL'];
const skip = smtpUrl && mailpitUrl ? false : 'no Mailpit (run with npm test; it needs Go)';
let s: NotifyingShop;
let providers: Awaited<ReturnType<typeof startProviders>>;
const inbox = mailbox(mailpitUrl ?? '');
const tag = randomUUID().slice(0, 6);

before(
  async () => {
    if (skip) return;
    providers = await startProviders();
    s = await startNotifyingShop({ smtpUrl: smtpUrl!, env: providers.env });
  },
  // Its own shop (and broker) on a loaded machine can take longer than a test's 120 s to start.
  { timeout: 600_000 },
);
after(async () => {
  if (skip) return;
  await s.close();
  await providers.close();
});

const order = (s: NotifyingShop, auth: Record<string, string>, productId: number, extra: object = {}) =>
  s.call(
    'POST',
    '/api/orders',
    { items: [{ product_id: productId, quantity: 2 }], shipping_address: address, ...extra },
    auth,
  );

const deliveriesOf = async (eventId: string) =>
  (await s.notificationsPool.query('SELECT channel, status, recipient FROM deliveries WHERE event_id = $1', [eventId]))
    .rows;

describe('order mail through the gateway, Kafka and Mailpit', { skip }, () => {
  test('an order → a confirmation with number, lines and total, and a payment confirmation', async () => {
    const buyer = await s.login(`n_conf_${tag}`);
    const item = await s.product(10, 12.5);
    const res = await order(s, buyer.auth, item.id);
    assert.equal(res.status, 201);
    const to = `n_conf_${tag}@example.com`;
    const [confirmation] = await inbox.waitFor(to, new RegExp(`^Order #${res.json.id} confirmed$`));
    assert.match(confirmation!.Text, new RegExp(`Order #${res.json.id} is paid and confirmed`));
    assert.match(confirmation!.Text, new RegExp(`${item.name} × 2: US\\$12\\.50`));
    assert.match(confirmation!.Text, /Total: US\$25\.00/);
    assert.match(confirmation!.HTML, /<td>Item \d+<\/td><td align="right">2<\/td>/);
    const [payment] = await inbox.waitFor(to, new RegExp(`^Payment received for order #${res.json.id}$`));
    assert.match(payment!.Text, /payment of US\$25\.00/);
    // The customer reads their own messages through the API (marked sent once the server took them).
    const mine = await eventually('both messages marked sent', async () => {
      const res = await s.call('GET', '/api/notifications?limit=10', undefined, buyer.auth);
      assert.equal(res.status, 200);
      return res.json.items.length === 2 && res.json.items.every((m: { status: string }) => m.status === 'sent')
        ? res.json
        : undefined;
    });
    assert.deepEqual(mine.items.map((m: { subject: string }) => m.subject).sort(), [
      `Order #${res.json.id} confirmed`,
      `Payment received for order #${res.json.id}`,
    ]);
    assert.ok(mine.items.every((m: { to: string; channel: string }) => m.to === to && m.channel === 'email'));
    // The console's log filters by order: this order's two mails, nobody else's.
    const byOrder = await s.call('GET', `/api/notifications/deliveries?order_id=${res.json.id}`, undefined, s.admin);
    assert.equal(byOrder.status, 200);
    assert.deepEqual(byOrder.json.items.map((d: { notification_type: string }) => d.notification_type).sort(), [
      'order_confirmation',
      'payment_confirmation',
    ]);
    const bad = await s.call('GET', '/api/notifications/deliveries?order_id=abc', undefined, s.admin);
    assert.equal(bad.status, 400);
  });

  test('the admin ships, then delivers → a mail each', async () => {
    const buyer = await s.login(`n_ship_${tag}`);
    const item = await s.product(10, 3);
    const placed = await order(s, buyer.auth, item.id);
    const to = `n_ship_${tag}@example.com`;
    for (const [status, subject] of [
      ['shipped', `Order #${placed.json.id} is on its way`],
      ['delivered', `Order #${placed.json.id} was delivered`],
    ] as const) {
      assert.equal((await s.call('PATCH', `/api/orders/${placed.json.id}/status`, { status }, s.admin)).status, 200);
      const [mail] = await inbox.waitFor(to, new RegExp(`^${subject}$`));
      assert.match(mail!.Text, /(left our warehouse|was delivered) on \d+ \w+ 20\d\d at \d\d:\d\d (GMT|BST)/);
    }
  });

  test('a declined card → a cancellation mail and no confirmation', async () => {
    const buyer = await s.login(`n_decl_${tag}`);
    const item = await s.product(10, 7);
    const res = await order(s, buyer.auth, item.id, { payment_method: 'pm_card_chargeDeclined' });
    assert.equal(res.status, 402);
    const to = `n_decl_${tag}@example.com`;
    const [mail] = await inbox.waitFor(to, new RegExp(`^Order #${res.json.order_id} was cancelled$`));
    assert.match(mail!.Text, /the payment was declined/);
    assert.match(mail!.Text, /You have not been charged/);
    // Once the cancellation is there, every earlier event of the order was handled (one partition, in order).
    assert.deepEqual(
      (await inbox.search(to)).map((m) => m.Subject),
      [`Order #${res.json.order_id} was cancelled`],
    );
  });

  test('the same event delivered three times → one mail', async () => {
    const buyer = await s.login(`n_dup_${tag}`);
    const event = {
      ...orderStatusChangedV1Example,
      event_id: randomUUID(),
      order_id: 900_000_000 + Math.floor(Math.random() * 1000),
      user_id: buyer.id,
      status: 'processing',
      previous_status: 'pending',
    };
    for (let i = 0; i < 3; i++) await s.publishRaw('orders', String(event.order_id), JSON.stringify(event));
    const to = `n_dup_${tag}@example.com`;
    await inbox.waitFor(to, new RegExp(`^Order #${event.order_id} confirmed$`));
    // A later event about the same order (same partition) proves all three copies were consumed.
    const later = { ...event, event_id: randomUUID(), status: 'shipped', previous_status: 'processing' };
    await s.publishRaw('orders', String(event.order_id), JSON.stringify(later));
    await inbox.waitFor(to, new RegExp(`^Order #${event.order_id} is on its way$`));
    assert.equal((await inbox.search(to)).filter((m) => m.Subject.endsWith('confirmed')).length, 1);
    assert.deepEqual(await deliveriesOf(event.event_id), [{ channel: 'email', status: 'sent', recipient: to }]);
  });

  test('poison events → the dead-letter topic and a dead row; the consumer keeps going', async () => {
    const unknownUser = {
      ...orderStatusChangedV1Example,
      event_id: randomUUID(),
      user_id: 2_000_000_000,
      order_id: 77,
    };
    await s.publishRaw('orders', '77', JSON.stringify(unknownUser));
    await s.publishRaw('orders', '78', '{"event_type": "order_created", "not": "a contract"');
    const buyer = await s.login(`n_poison_${tag}`);
    const item = await s.product(10, 1);
    const placed = await order(s, buyer.auth, item.id);
    await inbox.waitFor(`n_poison_${tag}@example.com`, new RegExp(`^Order #${placed.json.id} confirmed$`));
    const dead = await eventually('two dead rows', async () => {
      const { rows } = await s.notificationsPool.query(
        `SELECT id, event_id, channel, status, last_error FROM deliveries WHERE status = 'dead' AND source_topic = 'orders'`,
      );
      return rows.length >= 2 ? rows : undefined;
    });
    const gone = dead.find((r) => r.event_id === unknownUser.event_id);
    assert.equal(gone?.channel, 'none');
    assert.match(gone!.last_error, /user 2000000000 does not exist/);
    assert.ok(dead.some((r) => /JSON|contract/i.test(r.last_error)));
    const parked = await readTopic(s.brokers, 'orders.dlq', 2, 20_000);
    assert.ok(parked.some((m) => m.value.includes(unknownUser.event_id)));
    assert.ok(parked.some((m) => m.value.includes('"not": "a contract"')));
    // An admin sees it; retrying a user who still does not exist is a 409 that changes nothing.
    const listed = await s.call('GET', '/api/notifications/deliveries?status=dead&channel=none', undefined, s.admin);
    assert.ok(listed.json.items.some((d: { event_id: string }) => d.event_id === unknownUser.event_id));
    const retry = await s.call('POST', `/api/notifications/deliveries/${gone!.id}/retry`, undefined, s.admin);
    assert.equal(retry.status, 409);
    assert.equal(retry.json.code, 'still_undeliverable');
  });

  test('password reset end to end: request → mail → token from the mail → new password → login', async () => {
    const name = `n_reset_${tag}`;
    await s.login(name);
    const email = `${name}@example.com`;
    assert.equal((await s.call('POST', '/api/users/password-reset', { email })).status, 202);
    const [mail] = await inbox.waitFor(email, /^Reset your Emporium password$/);
    const token = mail!.Text.match(/token=([^\s&]+)/)![1]!;
    assert.match(mail!.Text, /http:\/\/127\.0\.0\.1:5000\/reset-password\?token=/);
    const confirm = await s.call('POST', '/api/users/password-reset/confirm', {
      token: decodeURIComponent(token),
      new_password: 'a-brand-new-password',
    });
    assert.equal(confirm.status, 204);
    const login = await s.call('POST', '/api/users/login', { username: name, password: 'a-brand-new-password' });
    assert.equal(login.status, 200);
    // The reset link never leaves through the API, not even to its owner.
    const mine = await s.call('GET', '/api/notifications', undefined, {
      authorization: `Bearer ${login.json.access_token}`,
    });
    const reset = mine.json.items.find((m: { type: string }) => m.type === 'password_reset');
    assert.equal(reset.body, null);
  });

  test('SMS reaches the Twilio-compatible endpoint, push the FCM-compatible one, as the customer chose', async () => {
    const name = `n_sms_${tag}`;
    const buyer = await s.login(name);
    const phone = '+447700900123';
    const noPhone = await s.call('PUT', `/api/users/${buyer.id}/notification-settings`, { sms: true }, buyer.auth);
    assert.equal(noPhone.status, 409);
    assert.equal(noPhone.json.code, 'phone_required');
    assert.equal((await s.call('PUT', `/api/users/${buyer.id}`, { phone }, buyer.auth)).status, 200);
    const settings = await s.call('PUT', `/api/users/${buyer.id}/notification-settings`, { sms: true }, buyer.auth);
    assert.deepEqual(
      { ...settings.json, push_tokens: undefined },
      { email: true, sms: true, push: true, promotional: false, push_tokens: undefined },
    );
    const device = `device-${randomUUID()}`;
    const reg = await s.call(
      'POST',
      `/api/users/${buyer.id}/push-tokens`,
      { token: device, platform: 'android' },
      buyer.auth,
    );
    assert.equal(reg.status, 201);
    const item = await s.product(10, 4);
    const placed = await order(s, buyer.auth, item.id);
    const sms = await eventually('the SMS', async () =>
      providers.sms.find((m) => m.body.includes(`order #${placed.json.id} confirmed`)),
    );
    assert.equal(sms.to, phone);
    assert.equal(sms.from, '+15005550006');
    assert.equal(sms.body, `Emporium: order #${placed.json.id} confirmed, total US$8.00.`);
    assert.equal(sms.auth, 'AC00000000000000000000000000000001:test-auth-token');
    const push = await eventually('the push', async () =>
      providers.push.find((m) => m.token === device && m.title === `Order #${placed.json.id} confirmed`),
    );
    assert.equal(push.body, `Order #${placed.json.id} is confirmed: US$8.00.`);
    assert.equal(push.project, 'emporium-test');
    assert.equal(providers.tokenRequests[0]?.grant_type, 'urn:ietf:params:oauth:grant-type:jwt-bearer');
    await inbox.waitFor(`${name}@example.com`, new RegExp(`^Order #${placed.json.id} confirmed$`));
  });
});

describe('admin API', { skip }, () => {
  test('send, list and filter, templates and previews; customers are refused', async () => {
    const to = `n_admin_${tag}@example.com`;
    const sent = await s.call(
      'POST',
      '/api/notifications/send',
      { channel: 'email', to, subject: 'Hello <there>', body: 'Closed on Monday & Tuesday.' },
      s.admin,
    );
    assert.equal(sent.status, 202);
    const [mail] = await inbox.waitFor(to, /^Hello <there>$/);
    assert.match(mail!.Text, /Closed on Monday & Tuesday\./);
    assert.match(mail!.HTML, /Closed on Monday &amp; Tuesday\./);
    const byTemplate = await s.call(
      'POST',
      '/api/notifications/send',
      {
        channel: 'email',
        to,
        template: 'order_delivered',
        data: { region: 'GB', customer: { name: 'Bo' }, order: { id: 5, changed_at: '2025-06-01T12:00:00Z' } },
      },
      s.admin,
    );
    assert.equal(byTemplate.status, 202);
    await inbox.waitFor(to, /^Order #5 was delivered$/);
    const incomplete = await s.call(
      'POST',
      '/api/notifications/send',
      { channel: 'email', to, template: 'order_delivered', data: {} },
      s.admin,
    );
    assert.equal(incomplete.status, 400);
    assert.equal(incomplete.json.code, 'template_data_incomplete');
    for (const bad of [
      { channel: 'sms', to: 'not a number', body: 'x' },
      { channel: 'email', to },
      { channel: 'fax', to, body: 'x' },
    ]) {
      assert.equal((await s.call('POST', '/api/notifications/send', bad, s.admin)).status, 400);
    }
    const sentList = await s.call(
      'GET',
      '/api/notifications/deliveries?status=sent&channel=email&limit=2',
      undefined,
      s.admin,
    );
    assert.equal(sentList.status, 200);
    assert.equal(sentList.json.items.length, 2);
    assert.ok(sentList.json.next_cursor);
    const next = await s.call(
      'GET',
      `/api/notifications/deliveries?status=sent&limit=2&cursor=${sentList.json.next_cursor}`,
      undefined,
      s.admin,
    );
    assert.ok(next.json.items.every((d: { id: string }) => BigInt(d.id) < BigInt(sentList.json.next_cursor)));
    const templates = await s.call('GET', '/api/notifications/templates', undefined, s.admin);
    assert.ok(templates.json.items.some((t: { type: string }) => t.type === 'order_confirmation'));
    const preview = await s.call(
      'GET',
      '/api/notifications/templates/order_confirmation/preview?channel=email',
      undefined,
      s.admin,
    );
    assert.equal(preview.status, 200);
    assert.match(preview.json.channels.email.html, /Ceramic Salt &amp; Pepper Mill/);
    assert.match(preview.json.channels.email.text, /Ceramic Salt & Pepper Mill × 1: US\$99\.99/);
    const customer = await s.login(`n_nosy_${tag}`);
    for (const [method, path] of [
      ['GET', '/api/notifications/deliveries'],
      ['GET', '/api/notifications/templates'],
      ['POST', '/api/notifications/deliveries/1/retry'],
    ] as const) {
      assert.equal((await s.call(method, path, undefined, customer.auth)).status, 403);
    }
    assert.equal(
      (await s.call('POST', '/api/notifications/send', { channel: 'email', to, body: 'x' }, customer.auth)).status,
      403,
    );
    assert.equal((await s.call('GET', '/api/notifications')).status, 401);
  });
});
