import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testBrokers } from '@emporium/messaging/testing';
import { address, startShop, type Shop } from './shop.ts';

// GET /api/orders, the admin console's list, through the gateway on the whole checkout path.
const skip = testBrokers().length ? false : 'no Kafka broker (run with npm test)';
let s: Shop;
before(async () => {
  if (!skip) s = await startShop();
});
after(async () => {
  if (!skip) await s.close();
});

const ids = (res: { json: { items: Array<{ id: number }> } }) => res.json.items.map((o) => o.id);

test(
  'an admin lists every customer’s orders, filters by status, text, user and date, and pages',
  { skip },
  async () => {
    const ann = await s.login('adm_list_ann');
    const ben = await s.login('adm_list_ben');
    const lamp = await s.product(10);
    const place = async (who: { auth: Record<string, string> }, city = 'London', payment_method = 'pm_card_visa') => {
      const body = {
        items: [{ product_id: lamp.id, quantity: 1 }],
        shipping_address: { ...address, city },
        payment_method,
      };
      return (await s.call('POST', '/api/orders', body, who.auth)).json as { id: number; order_id?: number };
    };
    const a1 = await place(ann);
    const b1 = await place(ben, 'Zürich');
    const declined = await place(ben, 'Leeds', 'pm_card_chargeDeclined');
    const a2 = await place(ann);
    const shipped = await s.call('PATCH', `/api/orders/${a2.id}/status`, { status: 'shipped' }, s.admin);
    assert.equal(shipped.status, 200);

    const all = await s.call('GET', '/api/orders?limit=100', undefined, s.admin);
    assert.equal(all.status, 200);
    assert.deepEqual(ids(all), [a2.id, declined.order_id, b1.id, a1.id]);
    assert.equal(all.json.items[0].items[0].product_name, lamp.name);

    const page1 = await s.call('GET', '/api/orders?limit=3', undefined, s.admin);
    const page2 = await s.call('GET', `/api/orders?limit=3&cursor=${page1.json.next_cursor}`, undefined, s.admin);
    assert.deepEqual([...ids(page1), ...ids(page2)], ids(all));
    assert.equal(page2.json.next_cursor, null);

    const get = async (query: string) => ids(await s.call('GET', `/api/orders?${query}`, undefined, s.admin));
    assert.deepEqual(await get('status=shipped'), [a2.id]);
    assert.deepEqual(await get('status=cancelled'), [declined.order_id]);
    assert.deepEqual(await get('q=z%C3%BCrich'), [b1.id]);
    assert.deepEqual(await get(`q=${ben.id}`), [declined.order_id, b1.id]);
    assert.deepEqual(await get(`q=${a1.id}`), [a1.id]);
    assert.deepEqual(await get(`q=${encodeURIComponent(lamp.name)}&status=processing`), [b1.id, a1.id]);
    assert.deepEqual(await get('q=%25'), []);
    assert.deepEqual(await get('to=2000-01-01'), []);
    assert.equal((await get(`from=${new Date(Date.now() - 3_600_000).toISOString()}`)).length, 4);
  },
);

test(
  'a customer is refused the admin list, and bad filters are 400 problems that change nothing',
  { skip },
  async () => {
    const me = await s.login('adm_list_nosy');
    const refused = await s.call('GET', '/api/orders', undefined, me.auth);
    assert.equal(refused.status, 403);
    assert.equal((await s.call('GET', '/api/orders')).status, 401);
    for (const query of ['status=lost', 'from=soon', 'to=2024-02-30T25:00:00Z', 'limit=0', 'cursor=eHl6', 'x=1']) {
      const res = await s.call('GET', `/api/orders?${query}`, undefined, s.admin);
      assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.json)}`);
      assert.equal(typeof res.json.code, 'string');
    }
  },
);
