import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds, cpuTotals, latencyRow, printCpu } from './measure.ts';
import { measureNotificationPath } from './notifications-path.ts';
import { shiftPorts, startBenchStack } from './stack.ts';

// `npm run bench:notifications`: orders placed through the gateway at a steady rate (open loop), each
// timed from its commit (the 201 reaching the client; the confirmation is planned from the event that
// commit wrote) to Mailpit accepting its confirmation mail (Mailpit's own receive time). Then the
// consumer's rate: notifications stopped, a backlog of orders placed, the service started again, and
// its consumed-messages counter timed until the backlog is gone.
const rate = Number(process.env['BENCH_ORDER_RATE'] ?? 50);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 20);
const backlogOrders = Number(process.env['BENCH_BACKLOG_ORDERS'] ?? 300);
const stack = await startBenchStack();
const local = (port: number) => `http://127.0.0.1:${port}`;
const mailpit = stack.infra.mailpitUrl;
try {
  const p = shiftPorts({ gateway: 27400, users: 27401, products: 27402, orders: 27403, notes: 27404, payments: 27405 });
  const kafka = stack.infra.kafkaBrokers.join(',');
  const jwks = { JWKS_URL: `${local(p.users)}/.well-known/jwks.json` };
  const notificationsEnv = {
    ...jwks,
    DATABASE_URL: stack.infra.notificationsDatabaseUrl,
    KAFKA_BROKERS: kafka,
    USERS_URL: local(p.users),
    SMTP_URL: stack.infra.smtpUrl,
    STOREFRONT_URL: local(p.gateway),
  };
  const services = {
    users: () =>
      stack.service('users', 'services/users/src/server.ts', p.users, {
        DATABASE_URL: stack.infra.usersDatabaseUrl,
        JWT_PRIVATE_KEY: stack.jwtKey,
        KAFKA_BROKERS: kafka,
        ADMIN_EMAIL: 'admin@bench.local',
        ADMIN_PASSWORD: 'bench-admin-1',
      }),
    products: () =>
      stack.service('products', 'services/products/src/server.ts', p.products, {
        ...jwks,
        DYNAMODB_ENDPOINT: stack.infra.dynamodbEndpoint,
        ...(stack.infra.redisUrl ? { REDIS_URL: stack.infra.redisUrl } : {}),
      }),
    payments: () =>
      stack.service('payments', 'services/payments/src/server.ts', p.payments, {
        ...jwks,
        DATABASE_URL: stack.infra.paymentsDatabaseUrl,
        KAFKA_BROKERS: kafka,
      }),
    orders: () =>
      stack.service('orders', 'services/orders/src/server.ts', p.orders, {
        ...jwks,
        DATABASE_URL: stack.infra.ordersDatabaseUrl,
        KAFKA_BROKERS: kafka,
        PRODUCTS_URL: local(p.products),
        PAYMENTS_URL: local(p.payments),
      }),
    notifications: () =>
      stack.service('notifications', 'services/notifications/src/server.ts', p.notes, notificationsEnv),
    gateway: () =>
      stack.service('gateway', 'services/gateway/src/server.ts', p.gateway, {
        ...jwks,
        USERS_URL: local(p.users),
        PRODUCTS_URL: local(p.products),
        ORDERS_URL: local(p.orders),
        PAYMENTS_URL: local(p.payments),
        NOTIFICATIONS_URL: local(p.notes),
        RATE_LIMIT_PER_MINUTE: '0',
        METRICS_PORT: String(p.gateway + 500),
      }),
  };
  const pids = Object.fromEntries(
    await Promise.all(Object.entries(services).map(async ([name, start]) => [name, await start()] as const)),
  );

  const gw = local(p.gateway);
  const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const admin = await post(`${gw}/api/users/login`, { email: 'admin@bench.local', password: 'bench-admin-1' });
  const adminAuth = { authorization: `Bearer ${admin.json['access_token']}` };
  const productIds: number[] = [];
  for (let i = 0; i < 50; i++) {
    const product = { name: `Bench item ${i}`, price: 9.99, category: 'Bench', stock_quantity: 10_000_000 };
    productIds.push((await post(`${gw}/api/products`, { ...product, sku: `NOTE-${i}` }, adminAuth)).json['id']);
  }
  const buyer = { username: 'notebuyer', email: 'buyer@bench.local', password: 'bench-password-1' };
  const buyerId = Number((await post(`${gw}/api/users/register`, buyer)).json['id']);
  const login = await post(`${gw}/api/users/login`, { username: buyer.username, password: buyer.password });
  const auth = { authorization: `Bearer ${login.json['access_token']}` };

  let n = 0;
  /** Why orders were refused (the gateway sheds load when the shop is saturated), by status and code. */
  const failures = new Map<string, number>();
  /** Places one order; resolves with its id and when its commit was answered, or undefined on failure. */
  const placeOrder = async () => {
    const body = {
      items: [{ product_id: productIds[n++ % productIds.length], quantity: 1 }],
      shipping_address: { line1: '1 Bench Road', city: 'Leeds', country: 'GB' },
    };
    const sent = performance.now();
    const res = await post(`${gw}/api/orders`, body, auth).catch(() => undefined);
    const answeredAt = Date.now();
    if (res?.status !== 201) {
      const why = res ? `${res.status} ${res.json['code'] ?? ''}`.trim() : 'no answer';
      failures.set(why, (failures.get(why) ?? 0) + 1);
      return undefined;
    }
    return { id: Number(res.json['id']), answeredAt, httpMs: performance.now() - sent };
  };
  /** Mailpit's receive time (ms) of each order confirmation, by order id. */
  const confirmations = async () => {
    const q = encodeURIComponent('subject:"confirmed"');
    const res = await fetch(`${mailpit}/api/v1/search?query=${q}&limit=100000`);
    const found = (await res.json()) as { messages: Array<{ Subject: string; Created: string }> };
    return new Map(
      found.messages.flatMap((m) => {
        const id = /Order #(\d+) confirmed/.exec(m.Subject)?.[1];
        return id ? [[Number(id), Date.parse(m.Created)] as const] : [];
      }),
    );
  };
  const waitForMails = async (ids: number[], timeoutMs: number) => {
    for (const deadline = Date.now() + timeoutMs; ; await sleep(250)) {
      const mails = await confirmations();
      if (ids.every((id) => mails.has(id)) || Date.now() > deadline) return mails;
    }
  };

  // Warm-up: JITs, pools, the recipient cache and the SMTP pool, as in a running shop.
  const warm = (await Promise.all(Array.from({ length: 20 }, placeOrder))).flatMap((o) => (o ? [o.id] : []));
  await waitForMails(warm, 60_000);

  const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  console.log(`${rate} orders/s for ${seconds} s, Node ${process.version}, ${os.cpus().length} cores, load ${load}`);
  failures.clear();
  const placed: Array<Promise<Awaited<ReturnType<typeof placeOrder>>>> = [];
  const cpuBefore = await cpuTotals();
  const began = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    // Open loop: each order leaves on its schedule, whether or not earlier ones were answered.
    const due = began + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    placed.push(placeOrder());
  }
  const orders = (await Promise.all(placed)).flatMap((o) => (o ? [o] : []));
  const offered = ((rate * seconds) / ((performance.now() - began) / 1000)).toFixed(1);
  const mails = await waitForMails(
    orders.map((o) => o.id),
    120_000,
  );
  // Where the cores went from the first order to the last mail: every process of the shop, by name.
  const [cpuAfter, wall] = [await cpuTotals(), (performance.now() - began) / 1000];
  printCpu(cpuBefore, cpuAfter, wall, { ...pids, ...stack.infra.pids, bench: process.pid });
  const latencies = orders.flatMap((o) => (mails.has(o.id) ? [mails.get(o.id)! - o.answeredAt] : []));
  const missing = orders.length - latencies.length;
  console.log(`\n| measure | n | p50 ms | p99 ms | max ms |`);
  console.log('|---|---:|---:|---:|---:|');
  console.log(latencyRow('order commit → mail accepted by Mailpit', latencies));
  console.log(
    latencyRow(
      'POST /api/orders (gateway, for reference)',
      orders.map((o) => o.httpMs),
    ),
  );
  console.log(
    `\norders sent at ${offered}/s; ${rate * seconds - orders.length} failed` +
      (failures.size ? ` (${[...failures].map(([why, count]) => `${why}: ${count}`).join(', ')})` : '') +
      `; ${missing} confirmations missing after 120 s`,
  );

  // The same rate of orders' events with the checkout idle: the notification path's own latency.
  if (process.env['BENCH_PATH'] !== '0') {
    await measureNotificationPath({
      brokers: stack.infra.kafkaBrokers,
      userId: buyerId,
      rate,
      seconds,
      firstOrderId: 10_000_000,
      waitForMails,
      pids: { ...pids, ...stack.infra.pids, bench: process.pid },
      metricsUrl: `${local(p.notes)}/metrics`,
    });
  }

  // Consumer throughput: a backlog on the orders topic, drained by a freshly started service.
  process.kill(pids['notifications']!, 'SIGTERM');
  while (isAlive(pids['notifications']!)) await sleep(100);
  const backlog: number[] = [];
  for (let i = 0; i < backlogOrders; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, backlogOrders - i) }, placeOrder));
    backlog.push(...batch.flatMap((o) => (o ? [o.id] : [])));
  }
  await sleep(3_000); // the orders outbox publishes what the last orders committed
  const restarted = performance.now();
  const notesPid = await services.notifications();
  const readyAfter = ((performance.now() - restarted) / 1000).toFixed(1);
  // CPU time does not depend on how busy the machine is, unlike the rates: what each backlog order cost.
  const cpuAtReady = await cpuSeconds(notesPid);
  const consumed = async () => {
    const text = await (await fetch(`${local(p.notes)}/metrics`)).text();
    return [...text.matchAll(/^emporium_messaging_consumed_total\{[^}]*topic="orders"[^}]*\} (\d+)/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  };
  let last = { count: await consumed(), at: performance.now() };
  const first = last;
  for (let quietSince = performance.now(); performance.now() - quietSince < 3_000; await sleep(100)) {
    const count = await consumed();
    if (count !== last.count) [last, quietSince] = [{ count, at: performance.now() }, performance.now()];
  }
  const drained = await waitForMails(backlog, 120_000);
  const mailsDone = performance.now();
  const cpuDone = await cpuSeconds(notesPid);
  const perSecond = (last.count - first.count) / ((last.at - first.at) / 1000);
  console.log(
    `\nconsumer: ${last.count} messages from a backlog of ${backlog.length} orders; ` +
      `${Math.round(perSecond)} messages/s once ready (${last.count - first.count} counted over ${((last.at - first.at) / 1000).toFixed(1)} s; ` +
      `${first.count} already done when /ready answered, ${readyAfter} s after the restart began)`,
  );
  console.log(
    `backlog mails: ${backlog.filter((id) => drained.has(id)).length} of ${backlog.length} in Mailpit ` +
      `${((mailsDone - restarted) / 1000).toFixed(1)} s after the restart began`,
  );
  const cpuMs = ((cpuDone - cpuAtReady) * 1000) / backlog.length;
  console.log(
    `notifications CPU per backlog order (3 events planned, 2 mails sent), /ready to the last mail: ${cpuMs.toFixed(1)} ms`,
  );
} finally {
  await stack.stop();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
