import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serviceCredentialCases } from '@emporium/kit/testing';
import { startProducts, type Products } from './helpers.ts';

let p: Products;
before(async () => {
  p = await startProducts();
});
after(() => p.close());

test('the reservation API answers only the order service', async () => {
  const item = await p.create({ stock_quantity: 5 });
  const calls = [
    {
      method: 'POST' as const,
      url: '/internal/reservations',
      payload: { order_id: 9001, lines: [{ product_id: item.id, quantity: 1 }] },
    },
    { method: 'GET' as const, url: '/internal/reservations/9001' },
    { method: 'POST' as const, url: '/internal/reservations/9001/commit' },
    { method: 'POST' as const, url: '/internal/reservations/9001/finalize' },
    { method: 'POST' as const, url: '/internal/reservations/9001/release' },
  ];
  const users = { customer: p.customer, admin: p.admin };
  const roles = { target: 'products', allowed: 'orders', trustedButNotAllowed: 'payments', users };
  const cases = await serviceCredentialCases(p.services, roles);
  for (const call of calls) {
    for (const c of cases) {
      const res = await p.app.inject({ ...call, headers: c.headers });
      assert.deepEqual([res.statusCode, res.json().code], [c.status, c.code], `${call.method} ${call.url}: ${c.what}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
  }
  assert.equal((await p.app.inject(`/api/products/${item.id}`)).json().stock_quantity, 5, 'nothing was reserved');

  const asOrders = await p.asOrders();
  const reserved = await p.app.inject({ ...calls[0]!, headers: asOrders });
  assert.equal(reserved.statusCode, 200, reserved.body);
  assert.equal((await p.app.inject({ ...calls[1]!, headers: asOrders })).json().status, 'reserved');
  assert.equal((await p.app.inject({ ...calls[4]!, headers: asOrders })).json().status, 'released');
});
