import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceCredentialCases } from '@emporium/kit/testing';
import { order, startPayments, type Payments } from './helpers.ts';

let p: Payments;
before(async () => {
  p = await startPayments();
});
after(() => p.close());

test('the internal payment API answers only the order service', async () => {
  const calls = [
    { method: 'POST' as const, url: '/internal/payments/process', payload: order(7001) },
    { method: 'POST' as const, url: '/internal/payments/refund', payload: { payment_id: 1 } },
    { method: 'GET' as const, url: '/internal/payments/order/7001' },
  ];
  const users = { customer: await p.auth('customer', 7), admin: await p.auth('admin', 1) };
  const roles = { target: 'payments', allowed: 'orders', trustedButNotAllowed: 'products', users };
  const cases = await serviceCredentialCases(p.services, roles);
  for (const call of calls) {
    for (const c of cases) {
      const res = await p.app.inject({ ...call, headers: c.headers });
      assert.deepEqual([res.statusCode, res.json().code], [c.status, c.code], `${call.method} ${call.url}: ${c.what}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
  }
  const charged = await p.pool.query('SELECT count(*)::int AS n FROM payments WHERE order_id = 7001');
  assert.equal(charged.rows[0].n, 0, 'nothing was charged');

  const asOrders = await p.asOrders();
  const paid = await p.app.inject({ ...calls[0]!, headers: asOrders });
  assert.equal(paid.statusCode, 201, paid.body);
  assert.equal((await p.app.inject({ ...calls[2]!, headers: asOrders })).json().id, paid.json().id);
  const refunded = await p.app.inject({ ...calls[1]!, payload: { payment_id: paid.json().id }, headers: asOrders });
  assert.equal(refunded.json().status, 'refunded');
});
