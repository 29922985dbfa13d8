import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { order, startPayments, type Payments } from './helpers.ts';

let p: Payments;
let lose = new Set<number>();
before(async () => {
  p = await startPayments({ loseAnswer: (r) => lose.has(r.orderId) });
});
after(() => p.close());

// The internal API as the order service calls it, with its service credential.
const internal = async (url: string, body: unknown, headers: Record<string, string> = {}) =>
  p.app.inject({ method: 'POST', url, payload: body as object, headers: { ...headers, ...(await p.asOrders()) } });
const process = (body: unknown) => internal('/internal/payments/process', body);
const refund = (body: unknown, headers: Record<string, string> = {}) =>
  internal('/internal/payments/refund', body, headers);
const count = async (sql: string, params: unknown[] = []) => (await p.pool.query(sql, params)).rows[0].n as number;
const outboxTypes = async (orderId: number) =>
  (
    await p.pool.query("SELECT event_type FROM outbox WHERE payload->>'order_id' = $1 ORDER BY id", [String(orderId)])
  ).rows.map((r) => r.event_type);

describe('charging', () => {
  test('a card that works: 201 succeeded, one charge, one payment_succeeded in the outbox', async () => {
    const res = await process(order(1001));
    assert.equal(res.statusCode, 201);
    const pay = res.json();
    assert.deepEqual(
      [pay.status, pay.amount, pay.order_id, pay.refunded_amount, pay.payment_method],
      ['succeeded', 59.98, 1001, 0, 'pm_card_visa'],
    );
    assert.match(pay.transaction_id, /^sim_ch_/);
    assert.deepEqual(await outboxTypes(1001), ['payment_succeeded']);
    const event = (await p.pool.query("SELECT payload FROM outbox WHERE payload->>'order_id' = '1001'")).rows[0]
      .payload;
    assert.deepEqual(
      [event.user_id, event.region, event.status, event.payment_id, event.total_amount],
      [7, 'GB', 'succeeded', pay.id, 59.98],
    );
  });

  test('one payment per order: 3 repeats and 20 parallel calls give one payment, one charge, one event', async () => {
    const first = await process(order(1002));
    for (let i = 0; i < 3; i++) {
      const again = await process(order(1002));
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().id, first.json().id);
    }
    const parallel = await Promise.all(Array.from({ length: 20 }, () => process(order(1003))));
    assert.equal(parallel.filter((r) => r.statusCode === 201).length, 1);
    assert.equal(new Set(parallel.map((r) => r.json().id)).size, 1);
    assert.equal(
      await count(
        "SELECT count(*)::int AS n FROM simulated_charges WHERE idempotency_key IN ('emporium-order-1002', 'emporium-order-1003')",
      ),
      2,
    );
    assert.deepEqual(await outboxTypes(1003), ['payment_succeeded']);
    const different = await process(order(1002, 7, 10));
    assert.equal(different.statusCode, 409);
  });

  test('a declined card: 402 with the payment id, payment failed, payment_failed event; a repeat is the same 402', async () => {
    const res = await process(order(1004, 7, 25, 'pm_card_chargeDeclined'));
    assert.equal(res.statusCode, 402);
    assert.deepEqual(
      [res.json().code, res.json().failure_code, res.json().order_id],
      ['payment_declined', 'card_declined', 1004],
    );
    const again = await process(order(1004, 7, 25, 'pm_card_chargeDeclined'));
    assert.equal(again.statusCode, 402);
    assert.equal(again.json().payment_id, res.json().payment_id);
    assert.deepEqual(await outboxTypes(1004), ['payment_failed']);
  });

  test('an unanswered charge is settled by asking the provider, never by charging again', async () => {
    lose = new Set([1005]);
    const lost = await process(order(1005));
    assert.equal(lost.statusCode, 503);
    assert.equal(lost.json().code, 'payment_outcome_unknown');
    assert.equal((await p.pool.query('SELECT status FROM payments WHERE order_id = 1005')).rows[0].status, 'pending');
    lose = new Set();
    const settled = await process(order(1005));
    assert.equal(settled.statusCode, 200);
    assert.equal(settled.json().status, 'succeeded');
    assert.equal(
      await count("SELECT count(*)::int AS n FROM simulated_charges WHERE idempotency_key = 'emporium-order-1005'"),
      1,
    );
    assert.deepEqual(await outboxTypes(1005), ['payment_succeeded']);
  });

  test('bad input is a 400 that records nothing', async () => {
    for (const body of [
      { ...order(1006), amount: -1 },
      { ...order(1006), amount: 1.005 },
      { ...order(1006), payment_method: 'visa' },
      { order_id: 1006, amount: 5 },
      { ...order(1006), order: { ...order(1006).order, region: 'gb' } },
    ]) {
      assert.equal((await process(body)).statusCode, 400, JSON.stringify(body));
    }
    assert.equal(await count('SELECT count(*)::int AS n FROM payments WHERE order_id = 1006'), 0);
  });
});

describe('refunds', () => {
  test('partial, then the rest; more than is left is 409; each refund has its event', async () => {
    const pay = (await process(order(2001, 7, 100))).json();
    const a = await refund({ payment_id: pay.id, amount: 30 });
    assert.deepEqual([a.statusCode, a.json().status, a.json().refunded_amount], [200, 'partially_refunded', 30]);
    const tooMuch = await refund({ payment_id: pay.id, amount: 70.01 });
    assert.equal(tooMuch.statusCode, 409);
    assert.equal(tooMuch.json().code, 'refund_exceeds_remaining');
    const rest = await refund({ payment_id: pay.id });
    assert.deepEqual([rest.json().status, rest.json().refunded_amount], ['refunded', 100]);
    assert.equal((await refund({ payment_id: pay.id, amount: 1 })).statusCode, 409);
    assert.deepEqual(await outboxTypes(2001), ['payment_succeeded', 'payment_refunded', 'payment_refunded']);
  });

  test('concurrent full refunds: exactly one goes through', async () => {
    const pay = (await process(order(2002, 7, 40))).json();
    const results = await Promise.all(Array.from({ length: 5 }, () => refund({ payment_id: pay.id })));
    assert.equal(results.filter((r) => r.statusCode === 200).length, 1);
    assert.equal(results.filter((r) => r.statusCode === 409).length, 4);
    assert.equal(await count('SELECT count(*)::int AS n FROM refunds WHERE payment_id = $1', [pay.id]), 1);
  });

  test('a refund repeated with one Idempotency-Key pays back once', async () => {
    const pay = (await process(order(2003, 7, 50))).json();
    for (let i = 0; i < 3; i++) {
      const res = await refund({ payment_id: pay.id, amount: 10 }, { 'idempotency-key': 'cancel-2003' });
      assert.equal(res.json().refunded_amount, 10);
    }
    assert.equal(await count('SELECT count(*)::int AS n FROM refunds WHERE payment_id = $1', [pay.id]), 1);
  });

  test('a failed payment cannot be refunded', async () => {
    const declined = await process(order(2004, 7, 5, 'pm_card_chargeDeclined'));
    assert.equal((await refund({ payment_id: declined.json().payment_id })).statusCode, 409);
  });
});

describe('access through the public API', () => {
  test('the owner and admins read a payment; anyone else gets 404; only admins process or refund', async () => {
    const pay = (await process(order(3001, 41))).json();
    const owner = await p.auth('customer', 41);
    const stranger = await p.auth('customer', 42);
    const admin = await p.auth('admin', 1);
    assert.equal((await p.app.inject({ url: `/api/payments/${pay.id}`, headers: owner })).statusCode, 200);
    assert.equal((await p.app.inject({ url: `/api/payments/order/3001`, headers: owner })).json().id, pay.id);
    assert.equal((await p.app.inject({ url: `/api/payments/${pay.id}`, headers: stranger })).statusCode, 404);
    assert.equal((await p.app.inject({ url: `/api/payments/order/3001`, headers: stranger })).statusCode, 404);
    assert.equal((await p.app.inject({ url: `/api/payments/${pay.id}`, headers: admin })).statusCode, 200);
    assert.equal((await p.app.inject({ url: `/api/payments/${pay.id}` })).statusCode, 401);
    assert.equal(
      (await p.app.inject({ method: 'POST', url: '/api/payments/process', headers: owner, payload: order(3002, 41) }))
        .statusCode,
      403,
    );
    assert.equal(
      (
        await p.app.inject({
          method: 'POST',
          url: '/api/payments/refund',
          headers: owner,
          payload: { payment_id: pay.id },
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (
        await p.app.inject({
          method: 'POST',
          url: '/api/payments/refund',
          headers: admin,
          payload: { payment_id: pay.id, amount: 1 },
        })
      ).json().refunded_amount,
      1,
    );
  });
});
