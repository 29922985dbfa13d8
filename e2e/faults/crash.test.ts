import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testBrokers } from '@emporium/messaging/testing';
import { address, startShop, type Shop } from '../checkout/shop.ts';
import { checkBooks, type Stocked } from './books.ts';
import { freePort, serviceChild, type ServiceChild } from './child.ts';
import { runBounded } from './load.ts';

// Fault 10 of docs/reliability.md for the gateway, users, products and payments (orders: orders-crash.test.ts).
// Each of them runs here as a process of its own; the order service (in this process) calls the products and
// payments processes, and the load comes through the gateway process. One scenario per service: SIGKILL it under
// eight concurrent buyers, start it again, then check the books.
const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
let s: Shop;
let gateway: ServiceChild, users: ServiceChild, products: ServiceChild, payments: ServiceChild;
let recovery: NodeJS.Timeout;
before(async () => {
  if (skip) return;
  const port = { products: await freePort(), payments: await freePort() };
  const local = (p: number) => `http://127.0.0.1:${p}`;
  // No product cache: stock is read back through the shop's own products app, which must see the process's writes.
  s = await startShop({
    productsFront: () => local(port.products),
    paymentsFront: () => local(port.payments),
    productsEnv: { PRODUCT_CACHE: 'off' },
  });
  users = serviceChild('users', { ...s.env.users, PORT: String(await freePort()) });
  products = serviceChild('products', { ...s.env.products, PRODUCT_CACHE: 'off', PORT: String(port.products) });
  payments = serviceChild('payments', {
    ...s.env.payments,
    KAFKA_BROKERS: s.brokers.join(','),
    PORT: String(port.payments),
  });
  gateway = serviceChild('gateway', {
    PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    USERS_URL: users.url,
    PRODUCTS_URL: products.url,
    ORDERS_URL: s.urls.orders,
    PAYMENTS_URL: payments.url,
    JWKS_URL: `${users.url}/.well-known/jwks.json`,
    RATE_LIMIT_PER_MINUTE: '0',
    // Crashes, not overload, are the fault here: a busy test machine must not make the gateway shed.
    MAX_EVENT_LOOP_DELAY_MS: '0',
  });
  await Promise.all([users.start(), products.start(), payments.start()]);
  await gateway.start();
  // As the order process does (server.ts): recovery finishes or undoes what a failed call left mid-saga.
  let recovering = false;
  recovery = setInterval(() => {
    if (recovering) return;
    recovering = true;
    s.orders.recovery
      .recoverOnce()
      .catch(() => undefined) // a pass that fails is tried again on the next tick, as in server.ts
      .finally(() => (recovering = false));
  }, 200);
});
after(async () => {
  if (skip) return;
  clearInterval(recovery);
  for (const child of [gateway, users, products, payments]) await child?.kill('SIGTERM');
  await s.close();
});

interface Answer {
  key: string;
  status: number;
  id?: number;
  code?: string;
}

/** A client sends the same request again, same key, when it was cut off or told to retry shortly. */
const isRetry = (a: Answer) => a.status === 0 || a.status === 503 || a.code === 'checkout_in_progress';

/** Checkouts through the gateway process, each with an Idempotency-Key, sent again until a final answer. */
function startBuyers(name: string, buyers: Array<{ auth: Record<string, string> }>, items: Array<{ id: number }>) {
  const answers: Answer[] = [];
  let running = true;
  const done = runBounded(buyers.length, buyers.length, async (w) => {
    for (let i = 0; running; i++) {
      const key = `${name}-${w}-${i}`;
      const body = JSON.stringify({
        items: [{ product_id: items[(w + i) % items.length]!.id, quantity: 1 }],
        shipping_address: address,
        ...(i % 9 === 4 ? { payment_method: 'pm_card_chargeDeclined' } : {}),
      });
      const headers = { 'content-type': 'application/json', 'idempotency-key': key, ...buyers[w]!.auth };
      for (let answer: Answer | undefined; !answer || (isRetry(answer) && running);) {
        if (answer) await sleep(100);
        try {
          const res = await fetch(`${gateway.url}/api/orders`, { method: 'POST', headers, body });
          const json = (await res.json()) as { id?: number; order_id?: number; code?: string };
          answer = { key, status: res.status, id: json.id ?? json.order_id, code: json.code };
        } catch {
          answer = { key, status: 0 }; // the gateway died under this request, or is not back yet
        }
        answers.push(answer);
      }
    }
  });
  return {
    answers,
    async stop() {
      running = false;
      await done;
    },
  };
}

const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, ms = 60_000, seen: Answer[] = []) => {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    assert.ok(Date.now() < deadline, `waited ${ms} ms for ${what}; answers so far: ${summary(seen)}`);
    await sleep(50);
  }
};
const summary = (answers: Answer[]) => {
  const by: Record<string, number> = {};
  for (const a of answers)
    by[`${a.status} ${a.code ?? ''}`.trim()] = (by[`${a.status} ${a.code ?? ''}`.trim()] ?? 0) + 1;
  return JSON.stringify(by);
};
const count = (answers: Answer[], status: number, from = 0) =>
  answers.slice(from).filter((a) => a.status === status).length;

/**
 * Buyers running, `victim` killed with SIGKILL once some orders are placed, `whileDown` checked, the victim
 * started again, and the buyers stopped once orders are placed again. Then the books, and every answer's order.
 */
async function crash(
  name: string,
  victim: ServiceChild,
  options: { stock?: number[]; expected: number[]; whileDown?: (answers: Answer[], from: number) => Promise<void> },
  t: { diagnostic(message: string): void },
) {
  const stock = options.stock ?? [2_000, 2_000];
  const items = await Promise.all(stock.map((n, i) => s.product(n, 4 + i * 7.5)));
  const buyers = await Promise.all(Array.from({ length: 8 }, (_, i) => s.login(`${name}_${i}`)));
  const load = startBuyers(name, buyers, items);
  try {
    await waitFor('orders placed before the kill', () => count(load.answers, 201) >= 10, 90_000, load.answers);
    await victim.kill('SIGKILL');
    try {
      await options.whileDown?.(load.answers, load.answers.length);
    } finally {
      await victim.start();
    }
    const back = load.answers.length;
    const again = () => count(load.answers, 201, back) >= 10;
    await waitFor('orders placed after the restart', again, 90_000, load.answers.slice(back));
  } finally {
    await load.stop();
  }
  const { answers } = load;
  assert.deepEqual(
    answers.filter((a) => !options.expected.includes(a.status)),
    [],
    `only ${options.expected.join('/')} answers`,
  );
  const orders = await checkBooks(
    s,
    items.map((p, i): Stocked => ({ id: p.id, initial: stock[i]! })),
  );
  const status = new Map(orders.map((o) => [o.id, o.status]));
  for (const a of answers.filter((a) => a.status === 201))
    assert.equal(status.get(a.id!), 'processing', `order ${a.id} answered 201`);
  for (const a of answers.filter((a) => a.status === 402))
    assert.equal(status.get(a.id!), 'cancelled', `order ${a.id} answered 402`);
  // One order per key, however often a key was sent.
  const keys = await s.ordersPool.query(
    'SELECT idempotency_key, count(*)::int AS n FROM orders WHERE idempotency_key LIKE $1 GROUP BY 1 HAVING count(*) > 1',
    [`${name}-%`],
  );
  assert.deepEqual(keys.rows, [], 'an idempotency key placed two orders');
  t.diagnostic(`${name}: answers ${summary(answers)}; ${orders.length} orders`);
  return { answers, orders, items };
}

describe('faults: each service killed with SIGKILL under load, then restarted', { skip }, () => {
  test(
    'the gateway: cut requests are sent again with their key and get the one order they placed',
    { timeout: 240_000 },
    async (t) => {
      const { answers } = await crash(
        'gw_kill',
        gateway,
        {
          expected: [0, 201, 402],
          whileDown: async (seen, from) => {
            await waitFor('requests cut off by the kill', () => count(seen, 0, from) > 0);
          },
        },
        t,
      );
      // Every key that was cut off got its real answer later.
      const last = new Map(answers.map((a) => [a.key, a.status]));
      assert.deepEqual(
        [...last].filter(([, status]) => status === 0),
        [],
      );
    },
  );

  test(
    'users: checkouts go on with the keys already fetched; logins are refused quickly, then work again',
    { timeout: 240_000 },
    async (t) => {
      const logins: number[] = [];
      const login = async () =>
        (
          await fetch(`${gateway.url}/api/users/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'users_kill_0', password: 'a-good-password' }),
          })
        ).status;
      await crash(
        'users_kill',
        users,
        {
          expected: [201, 402],
          whileDown: async (seen, from) => {
            for (let i = 0; i < 3; i++) logins.push(await login());
            await waitFor('orders placed while users is down', () => count(seen, 201, from) >= 10);
          },
        },
        t,
      );
      assert.ok(
        logins.every((code) => code === 502 || code === 503),
        `logins while users is down: ${logins}`,
      );
      await waitFor('logins work again', async () => (await login()) === 200);
    },
  );

  test(
    'products: checkouts are refused or told to retry while it is down; a small stock is never oversold',
    { timeout: 240_000 },
    async (t) => {
      const { answers, items } = await crash(
        'products_kill',
        products,
        {
          stock: [2_000, 10],
          expected: [201, 202, 402, 409, 503],
          whileDown: async (seen, from) => {
            const refused = () => seen.slice(from).filter((a) => a.status === 503 || a.status === 409).length >= 3;
            await waitFor('checkouts refused while the catalog is down', refused, 60_000, seen);
          },
        },
        t,
      );
      // The books above found every unit of the small stock on hand or sold once: none sold twice, none lost.
      const left = await s.stockOf(items[1]!.id);
      const refused = answers.filter((a) => a.code === 'insufficient_stock').length;
      t.diagnostic(
        `products_kill: ${10 - left} of 10 units of the small stock sold, ${refused} checkouts refused for it`,
      );
      assert.ok(left >= 0);
    },
  );

  test(
    'payments: checkouts wait (202) and are settled once it is back, each charged once',
    { timeout: 240_000 },
    async (t) => {
      await crash(
        'payments_kill',
        payments,
        {
          expected: [201, 202, 402, 409, 503],
          whileDown: async (seen, from) => {
            await waitFor('checkouts answered while payments is down', () => seen.length - from >= 8, 60_000, seen);
          },
        },
        t,
      );
    },
  );
});
