import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, type Stack } from './helpers.ts';

// Load shedding (docs/decisions/0014-load-shedding.md): an order service that holds every request until the test
// lets it go stands in for a saturated one; the users service behind the same gateway is healthy.
const held: ServerResponse[] = [];
const orders = createServer((_req: IncomingMessage, res: ServerResponse) => void held.push(res));
let s: Stack;
before(async () => {
  await new Promise<void>((r) => orders.listen(0, '127.0.0.1', r));
  const ordersUrl = `http://127.0.0.1:${(orders.address() as AddressInfo).port}`;
  s = await startStack({ ORDERS_URL: ordersUrl, MAX_IN_FLIGHT_PER_SERVICE: '3', MAX_EVENT_LOOP_DELAY_MS: '150' });
});
after(async () => {
  for (const res of held.splice(0)) res.end();
  await s.close();
  orders.close();
});

const waitFor = async (what: string, ok: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await ok()); i++) await sleep(25);
  assert.ok(await ok(), what);
};
const release = () => {
  for (const res of held.splice(0)) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
};
const shedCount = async (reason: string) => {
  const text = await s.gateway.metrics.metrics();
  const line = text.split('\n').find((l) => l.startsWith('emporium_gateway_shed_requests_total') && l.includes(reason));
  return Number(line?.split(' ').pop() ?? 0);
};

test('a service with its bound of requests in flight: its routes answer 503 problem at once, the others go on', async () => {
  const slow = Array.from({ length: 3 }, () => s.call('GET', '/api/orders/1'));
  await waitFor('three requests reach the order service', () => held.length === 3);

  const shed = await s.call('GET', '/api/orders/2');
  assert.equal(shed.status, 503);
  assert.equal(shed.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(shed.headers.get('retry-after'), '1');
  assert.equal(shed.headers.get('x-content-type-options'), 'nosniff', 'security headers on a refusal too');
  assert.deepEqual([shed.json.code, shed.json.instance], ['overloaded', '/api/orders/2']);
  assert.equal(held.length, 3, 'the refused request was not forwarded');
  // A token is not even looked at, and a POST body not read, once the service is full.
  const post = await s.call('POST', '/api/orders', { items: [] }, { authorization: 'Bearer not-a-token' });
  assert.deepEqual([post.status, post.json.code], [503, 'overloaded']);

  // The users service is not full: its routes are served; health and readiness never shed.
  assert.equal((await s.call('GET', '/api/users/me')).status, 401);
  assert.equal((await s.call('GET', '/health')).status, 200);
  assert.equal((await s.call('GET', '/ready')).status, 200);
  assert.equal(await shedCount('reason="in_flight"'), 2);

  release();
  assert.deepEqual(
    (await Promise.all(slow)).map((r) => r.status),
    [200, 200, 200],
  );
  // The slots are free again, also after a client that gave up before its answer came.
  const gaveUp = new AbortController();
  const abandoned = fetch(`${s.base}/api/orders/3`, { signal: gaveUp.signal }).catch(() => 'aborted');
  await waitFor('the abandoned request reaches the order service', () => held.length === 1);
  gaveUp.abort();
  assert.equal(await abandoned, 'aborted');
  const next = Array.from({ length: 3 }, () => s.call('GET', '/api/orders/4'));
  await waitFor('three new requests are forwarded', () => held.length === 4);
  release();
  assert.deepEqual(
    (await Promise.all(next)).map((r) => r.status),
    [200, 200, 200],
  );
});

test('while the gateway’s own event loop keeps lagging, it sheds; once it catches up, it serves again', async () => {
  // The gateway runs in this process: stalling the test's loop stalls the gateway's. One stall is absorbed.
  const stall = async () => {
    const until = Date.now() + 300;
    while (Date.now() < until);
    await sleep(1); // the gateway's probe runs here and finds itself late
  };
  await stall();
  assert.equal((await s.call('GET', '/api/users/me')).status, 401, 'a single stall sheds nothing');
  let shed: Awaited<ReturnType<Stack['call']>> | undefined;
  for (let i = 0; i < 10 && !shed; i++) {
    await stall();
    const res = await s.call('GET', '/api/users/me');
    if (res.status === 503) shed = res;
  }
  assert.ok(shed, 'requests are shed while every probe finds the loop late');
  assert.deepEqual([shed.json.code, shed.headers.get('retry-after')], ['overloaded', '1']);
  assert.ok((await shedCount('reason="event_loop_delay"')) >= 1);
  await waitFor(
    'served again once the loop keeps time',
    async () => (await s.call('GET', '/api/users/me')).status === 401,
  );
});
