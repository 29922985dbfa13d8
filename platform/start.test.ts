import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Admin } from '@platformatic/kafka';
import { readTopic } from '@emporium/messaging/testing';
import { repoRoot } from './config.ts';

// `npm start` as a person runs it: the real launcher, its own PostgreSQL, real processes and ports.
const ports = {
  GATEWAY_PORT: '25000',
  GATEWAY_METRICS_PORT: '25100',
  USERS_PORT: '25001',
  PRODUCTS_PORT: '25002',
  PAYMENTS_PORT: '25005',
  ORDERS_PORT: '25003',
  ANALYTICS_PORT: '25006',
  NOTIFICATIONS_PORT: '25004',
  EMPORIUM_PG_PORT: '25532',
  EMPORIUM_REDIS_PORT: '25379',
  EMPORIUM_DYNAMODB_PORT: '25800',
  EMPORIUM_KAFKA_PORT: '25092',
  EMPORIUM_SMTP_PORT: '25025',
  EMPORIUM_MAILPIT_PORT: '25825',
  // The Flink job has suites of its own (analytics/test, e2e/analytics); here it would only add a minute.
  EMPORIUM_ANALYTICS_JOB: 'off',
  EMPORIUM_MAIL_INBOX_PORT: '25826',
  EMPORIUM_S3_PORT: '25900',
  EMPORIUM_LAMBDA_PORT: '25901',
};
const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;

function launch(dataDir: string) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'platform/start.ts')], {
    env: {
      PATH: process.env['PATH'] ?? '',
      EMPORIUM_DATA_DIR: dataDir,
      ADMIN_EMAIL: 'boss@example.com',
      ADMIN_PASSWORD: 'boss-password-1',
      BCRYPT_COST: '4',
      ...ports,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b) => (output += b));
  child.stderr.on('data', (b) => (output += b));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const started = new Promise<Record<string, number>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not started in 120 s:\n${output}`)), 120_000);
    child.stdout.on('data', () => {
      const m = /pids (\{.*\})/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]!));
      }
    });
    void exited.then(() => reject(new Error(`launcher exited:\n${output}`)));
  });
  return { child, started, exited, output: () => output };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function post(p: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(gateway + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

test(
  'npm start runs the platform, keeps data across a restart and stops with no orphans',
  { timeout: 400_000 },
  async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'emporium-start-'));
    // mkdtemp makes it 0700; the platform made it, so it may open it for the postgres user (run as root).
    await chmod(dataDir, 0o755);
    const launched: Array<ReturnType<typeof launch>> = [];
    try {
      const first = launch(dataDir);
      launched.push(first);
      const pids = await first.started;
      // Redis is always part of the platform: npm start installs redis-server when it is missing.
      const expected = [
        'analytics',
        'dynamodb',
        'gateway',
        'kafka',
        'mailpit',
        'notifications',
        'orders',
        'payments',
        'postgres',
        'product-images',
        'products',
        'redis',
        's3',
        'users',
      ].sort();
      assert.deepEqual(Object.keys(pids).sort(), expected);
      assert.match(first.output(), /Shop API \(gateway\)\s+http:\/\/127\.0\.0\.1:25000/);
      // The mail inbox page it prints answers; Mailpit keeps the messages under the data folder. The stores
      // move to the next free port when another platform holds theirs, so the test uses the printed ones.
      const printed = /Mail inbox\s+(http:\/\/127\.0\.0\.1:\d+) .*(http:\/\/127\.0\.0\.1:\d+)\/api\/v1\//.exec(
        first.output(),
      );
      assert.ok(printed, 'the inbox and Mailpit URLs are printed');
      const [inboxUrl, mailpitUrl] = [printed[1]!, printed[2]!];
      const brokers = [/Kafka broker ready at (\S+)/.exec(first.output())![1]!];
      assert.match(await (await fetch(inboxUrl)).text(), /<title>Emporium mail inbox<\/title>/);
      const inbox = await fetch(`${mailpitUrl}/api/v1/info`);
      assert.equal(
        ((await inbox.json()) as { Database: string }).Database,
        path.join(dataDir, 'mailpit', 'mailpit.db'),
      );

      assert.equal(
        (
          await post('/api/users/register', {
            username: 'starter',
            email: 'starter@example.com',
            password: 'a-good-password',
          })
        ).status,
        201,
      );
      const login = await post('/api/users/login', { username: 'starter', password: 'a-good-password' });
      assert.equal(login.status, 200);
      const admin = await post('/api/users/login', { email: 'boss@example.com', password: 'boss-password-1' });
      assert.equal(admin.json['user'].role, 'admin');

      // The demo catalog is loaded on first start and served through the gateway, images included.
      const catalog = (await (await fetch(`${gateway}/api/products/categories`)).json()) as {
        items: Array<{ product_count: number }>;
      };
      assert.equal(catalog.items.length, 12);
      assert.equal(
        catalog.items.reduce((n, c) => n + c.product_count, 0),
        300,
      );
      const page = (await (await fetch(`${gateway}/api/products?limit=3`)).json()) as {
        items: Array<{ id: number; image_url: string }>;
      };
      const image = await fetch(gateway + page.items[0]!.image_url);
      assert.equal(image.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
      const adminAuth = { authorization: `Bearer ${admin.json['access_token']}`, 'content-type': 'application/json' };
      const changed = await fetch(`${gateway}/api/products/${page.items[0]!.id}/stock`, {
        method: 'PATCH',
        headers: adminAuth,
        body: JSON.stringify({ stock_quantity: 4242 }),
      });
      assert.equal(changed.status, 200);

      // A customer buys a demo product; the order and payment events reach the orders topic.
      const buyer = { authorization: `Bearer ${login.json['access_token']}` };
      const inStock = (await (await fetch(`${gateway}/api/products?in_stock=true&limit=5`)).json()) as {
        items: Array<{ id: number }>;
      };
      const toBuy = inStock.items.find((i) => i.id !== page.items[0]!.id)!;
      const order = await post(
        '/api/orders',
        {
          items: [{ product_id: toBuy.id, quantity: 1 }],
          shipping_address: { line1: '1 Main St', city: 'Leeds', country: 'GB' },
        },
        buyer,
      );
      assert.equal(order.status, 201, JSON.stringify(order.json));
      assert.equal(order.json['status'], 'processing');
      const events = await readTopic(brokers, 'orders', 3, 20_000, (m) => m.key === String(order.json['id']));
      // The notification service mails the confirmation to the inbox the launcher printed; a person sees it there.
      const subject = `Order #${order.json['id']} confirmed`;
      const inInbox = async () => {
        const listed = (await (await fetch(`${inboxUrl}/api/v1/messages`)).json()) as {
          messages: Array<{ Subject: string }>;
        };
        return listed.messages.some((m) => m.Subject === subject);
      };
      for (const deadline = Date.now() + 30_000; !(await inInbox());) {
        assert.ok(Date.now() < deadline, `"${subject}" reached the inbox page`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // A reset mail links to the storefront's page on the gateway, which serves it (the web UI's history fallback).
      assert.equal((await post('/api/users/password-reset', { email: 'starter@example.com' })).status, 202);
      const resetMail = async () => {
        const q = encodeURIComponent('to:"starter@example.com" subject:"Reset your Emporium password"');
        const found = (await (await fetch(`${mailpitUrl}/api/v1/search?query=${q}`)).json()) as {
          messages: Array<{ ID: string }>;
        };
        if (!found.messages.length) return undefined;
        return (
          (await (await fetch(`${mailpitUrl}/api/v1/message/${found.messages[0]!.ID}`)).json()) as { Text: string }
        ).Text;
      };
      let resetText: string | undefined;
      for (const deadline = Date.now() + 30_000; !(resetText = await resetMail());) {
        assert.ok(Date.now() < deadline, 'the reset mail reached the inbox');
        await new Promise((r) => setTimeout(r, 200));
      }
      const resetLink = new RegExp(`${gateway}/reset-password\\?token=\\S+`).exec(resetText)?.[0];
      assert.ok(resetLink, `the reset mail links to ${gateway}/reset-password: ${resetText}`);
      const resetPage = await fetch(resetLink);
      assert.equal(resetPage.status, 200);
      assert.match(resetPage.headers.get('content-type') ?? '', /^text\/html/);
      assert.deepEqual(events.map((e) => JSON.parse(e.value).event_type).sort(), [
        'order_created',
        'order_status_changed',
        'payment_succeeded',
      ]);
      // That order went through the internal APIs with orders' service key, made once in the data folder;
      // the same routes refuse a caller without one, and a customer's token.
      assert.ok(existsSync(path.join(dataDir, 'keys', 'service-orders-ed25519.pem')));
      const reserve = (headers: Record<string, string>) =>
        fetch(`http://127.0.0.1:${ports.PRODUCTS_PORT}/internal/reservations`, { method: 'POST', headers, body: '{}' });
      assert.equal((await reserve({ 'content-type': 'application/json' })).status, 401);
      assert.equal((await reserve({ 'content-type': 'application/json', ...buyer })).status, 403);
      const payments = `http://127.0.0.1:${ports.PAYMENTS_PORT}`;
      const charge = await fetch(`${payments}/internal/payments/process`, { method: 'POST', headers: buyer });
      assert.equal(charge.status, 403);

      // The analytics API answers admins through the gateway (no results yet: every hour empty), not customers.
      const hours = await fetch(`${gateway}/api/analytics/peak-hours`, { headers: adminAuth });
      assert.equal(hours.status, 200);
      assert.equal(((await hours.json()) as { hours: unknown[] }).hours.length, 24);
      assert.equal((await fetch(`${gateway}/api/analytics/peak-hours`, { headers: buyer })).status, 403);

      // The broker is up with the SPEC's topics.
      const kafkaAdmin = new Admin({ clientId: 'start-test', bootstrapBrokers: brokers });
      const topics = await kafkaAdmin.listTopics();
      const meta = await kafkaAdmin.metadata({ topics: ['orders', 'analytics-results', 'notifications'] });
      await kafkaAdmin.close();
      for (const t of ['orders', 'analytics-results', 'notifications', 'orders.dlq']) assert.ok(topics.includes(t), t);
      assert.deepEqual(
        ['orders', 'analytics-results', 'notifications'].map((t) => meta.topics.get(t)?.partitionsCount),
        [3, 3, 1],
      );

      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0);
      for (const [name, pid] of Object.entries(pids))
        assert.ok(!alive(pid), `${name} (pid ${pid}) outlived the launcher`);

      const second = launch(dataDir);
      launched.push(second);
      const pids2 = await second.started;
      const again = await post('/api/users/login', { username: 'starter', password: 'a-good-password' });
      assert.equal(again.status, 200, 'the account survived the restart');
      const me = await fetch(`${gateway}/api/users/me`, {
        headers: { authorization: `Bearer ${login.json['access_token']}` },
      });
      assert.equal(me.status, 200, 'an access token from before the restart is still valid: the signing key is kept');
      const kept = (await (await fetch(`${gateway}/api/products/${page.items[0]!.id}`)).json()) as {
        stock_quantity: number;
      };
      assert.equal(kept.stock_quantity, 4242, 'the catalog survived the restart and was not seeded again');
      second.child.kill('SIGINT');
      assert.equal(await second.exited, 0);
      for (const [name, pid] of Object.entries(pids2))
        assert.ok(!alive(pid), `${name} (pid ${pid}) outlived the launcher`);
    } catch (err) {
      // The launcher's own account (which process exited, which store was slow) is the clue to a failure.
      for (const l of launched) console.error(`launcher output:\n${l.output().slice(-6_000)}`);
      throw err;
    } finally {
      // A failed assertion must not leave a platform running: stop it before its data goes.
      for (const l of launched) {
        if (l.child.exitCode === null && l.child.signalCode === null) {
          l.child.kill('SIGTERM');
          await Promise.race([l.exited, new Promise((r) => setTimeout(r, 70_000))]);
          l.child.kill('SIGKILL');
        }
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
