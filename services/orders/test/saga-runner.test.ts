import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createPool, DomainError, type Pool } from '@emporium/kit';
import { createTestDatabase } from '@emporium/kit/testing';
import client from 'prom-client';
import { createCheckoutRepository } from '../src/checkout/checkout-repository.ts';
import { createRecovery } from '../src/checkout/checkout-recovery.ts';
import { createSagaRunner } from '../src/checkout/saga-runner.ts';
import type { CatalogClient } from '../src/clients/catalog-client.ts';
import type { PaymentClient } from '../src/clients/payment-client.ts';
import { createOrderRepository } from '../src/orders/order-repository.ts';

// The runner on the real orders database, with the catalog and payments replaced by scripted fakes.
let db: { url: string; drop(): Promise<void> };
let pool: Pool;
before(async () => {
  db = await createTestDatabase(path.join(import.meta.dirname, '../migrations'));
  pool = createPool(db.url, 5);
});
after(async () => {
  await pool.end();
  await db.drop();
});

const policy = { baseMs: 1, maxMs: 2, maxAttempts: 3, maxCompensationAttempts: 2, reservationTtlMs: 900_000 };
const item = { product_id: 7, product_name: 'Lamp', category: 'Home', quantity: 1, price: 12.5 };

function fakes() {
  const calls: string[] = [];
  const catalog = {
    reserve: async (id: number) => (calls.push(`reserve ${id}`), { reserved: [item] }),
    commit: async (id: number) => (calls.push(`commit ${id}`), 'committed' as const),
    release: async (id: number) => void calls.push(`release ${id}`),
    finalize: async () => undefined,
    close: async () => undefined,
  };
  const payments = {
    process: async (r: { order_id: number }) => (
      calls.push(`charge ${r.order_id}`),
      { status: 'succeeded' as const, paymentId: 1 }
    ),
    voidOrder: async (r: { order_id: number }) => (calls.push(`void ${r.order_id}`), 'voided' as const),
    close: async () => undefined,
  };
  return { calls, catalog, payments };
}

function setup(f: ReturnType<typeof fakes>) {
  const log = { warn: () => undefined, error: () => undefined };
  const registry = new client.Registry();
  const checkouts = createCheckoutRepository(pool);
  const runner = createSagaRunner({
    checkouts,
    orders: createOrderRepository(pool),
    catalog: f.catalog as unknown as CatalogClient,
    payments: f.payments as unknown as PaymentClient,
    policy,
    leaseSeconds: 30,
    log,
    registry,
  });
  return {
    checkouts,
    runner,
    registry,
    recovery: createRecovery({ checkouts, runner, registry, log, leaseSeconds: 30 }),
  };
}

const claim = async (checkouts: ReturnType<typeof createCheckoutRepository>, owner = randomUUID()) => ({
  owner,
  row: (await checkouts.claim({
    userId: 1,
    idempotencyKey: null,
    requestHash: null,
    address: { line1: '1 Road', city: 'Leeds', country: 'GB' },
    paymentMethod: 'pm_card_visa',
    lines: [{ product_id: 7, quantity: 1 }],
    owner,
    leaseSeconds: 30,
  }))!,
});
const rowOf = async (id: number) =>
  (
    await pool.query(
      'SELECT status, step, compensating, attempts, next_attempt_at, last_error FROM orders WHERE id = $1',
      [id],
    )
  ).rows[0];

test('a checkout runs its four steps once and ends processing with its events', async () => {
  const f = fakes();
  const { checkouts, runner } = setup(f);
  const { row, owner } = await claim(checkouts);
  const outcome = await runner.run(row, owner);
  assert.equal(outcome.order?.status, 'processing');
  assert.deepEqual(f.calls, [`reserve ${row.id}`, `charge ${row.id}`, `commit ${row.id}`]);
  const events = await pool.query('SELECT event_type FROM outbox WHERE message_key = $1 ORDER BY id', [String(row.id)]);
  assert.deepEqual(
    events.rows.map((e) => e.event_type),
    ['order_created', 'order_status_changed'],
  );
});

test('a runner whose lease was taken over writes nothing more', async () => {
  const f = fakes();
  const { checkouts, runner } = setup(f);
  const { row, owner } = await claim(checkouts);
  // Someone else holds the order now (this runner's lease lapsed and recovery took it).
  await pool.query('UPDATE orders SET lease_owner = $2 WHERE id = $1', [row.id, randomUUID()]);
  const outcome = await runner.run(row, owner);
  assert.equal(outcome.lostLease, true);
  const after = await rowOf(row.id);
  assert.deepEqual([after.status, after.step, after.attempts], ['pending', 'reserve_stock', 0]);
  assert.equal(
    (await pool.query('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1', [String(row.id)])).rows[0].n,
    0,
  );
});

test('an order never placed (the catalog unreachable) is undone and discarded: no order, no event', async () => {
  const f = fakes();
  f.catalog.reserve = async () => {
    throw new Error('catalog down');
  };
  const { checkouts, runner } = setup(f);
  const { row, owner } = await claim(checkouts);
  const outcome = await runner.run(row, owner);
  assert.equal(outcome.order, undefined);
  assert.equal(outcome.error?.code, 'catalog_unavailable');
  assert.deepEqual(f.calls, [`release ${row.id}`]);
  assert.equal(await rowOf(row.id), undefined);
});

test('a compensation that keeps failing parks the order for an operator instead of retrying forever', async () => {
  const f = fakes();
  f.payments.process = async () => ({ status: 'unknown' }) as never;
  f.payments.voidOrder = async () => {
    throw new Error('payments down');
  };
  const { checkouts, runner, recovery, registry } = setup(f);
  const { row, owner } = await claim(checkouts);
  assert.equal((await runner.run(row, owner)).order?.status, 'pending');
  // Three failed charges give the order up; two failed voids park it.
  for (let i = 0; i < 20 && (await rowOf(row.id)).next_attempt_at !== null; i++) {
    await new Promise((r) => setTimeout(r, 5));
    await recovery.recoverOnce();
  }
  const parked = await rowOf(row.id);
  assert.deepEqual(
    [parked.status, parked.step, parked.compensating, parked.attempts, parked.next_attempt_at],
    ['cancelled', 'take_payment', true, 2, null],
  );
  assert.match(parked.last_error, /payments down/);
  await recovery.census();
  const gauge = await registry.getSingleMetric('emporium_orders_saga_parked_orders')!.get();
  assert.equal(gauge.values[0]?.value, 1);
});

test('recovery isolates failures: an order whose step throws does not hold up the others', async () => {
  const f = fakes();
  const { checkouts, runner, recovery } = setup(f);
  const rows = [];
  for (let i = 0; i < 3; i++) {
    const { row, owner } = await claim(checkouts);
    rows.push(row.id);
    // Leave them due for recovery, as if their requests had died after placing them.
    f.payments.process = async () => ({ status: 'unknown' }) as never;
    await runner.run(row, owner);
  }
  await pool.query('UPDATE orders SET next_attempt_at = now() WHERE id = ANY($1)', [rows]);
  const broken = rows[0]!;
  f.payments.process = async (r: { order_id: number }) => {
    if (r.order_id === broken) throw new TypeError('a bug in one order');
    return { status: 'succeeded' as const, paymentId: r.order_id };
  };
  await recovery.recoverOnce();
  const states = await Promise.all(rows.map(async (id) => (await rowOf(id)).status));
  assert.deepEqual(states, ['pending', 'processing', 'processing']);
  assert.match((await rowOf(broken)).last_error, /a bug in one order/);
});

test('a call refused by our own open circuit is not an attempt: the order waits instead of being given up', async () => {
  const f = fakes();
  let refused = 0;
  f.payments.process = async (r: { order_id: number }) => {
    if (refused++ < 10) throw new DomainError('upstream_unavailable', 'unavailable', 'circuit open');
    return { status: 'succeeded' as const, paymentId: r.order_id };
  };
  const { checkouts, runner, recovery } = setup(f);
  const { row, owner } = await claim(checkouts);
  await runner.run(row, owner);
  // Ten refusals, more than the policy's three attempts, and the order is still only waiting.
  for (let i = 0; i < 40 && (await rowOf(row.id)).status === 'pending'; i++) {
    await new Promise((r) => setTimeout(r, 5));
    await recovery.recoverOnce();
  }
  assert.ok(refused > 10, 'every refusal happened');
  assert.deepEqual([(await rowOf(row.id)).status, (await rowOf(row.id)).attempts], ['processing', 0]);
});
