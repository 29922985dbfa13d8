import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testBrokers } from '@emporium/messaging/testing';
import { startDynamo, type DynamoHandle } from '../../platform/dynamodb.ts';
import { address, startShop, type Shop } from '../checkout/shop.ts';
import { checkBooks } from './books.ts';
import { runBounded } from './load.ts';

// Fault 7 of docs/reliability.md. A DynamoDB API of this file's own, on disk so its tables survive a restart.
const skip = testBrokers().length ? false : 'no Kafka (run with npm test)';
let dir: string;
let dynamo: DynamoHandle;
let port: number;
let s: Shop;

before(async () => {
  if (skip) return;
  dir = await mkdtemp(path.join(tmpdir(), 'faults-dynamo-'));
  dynamo = await startDynamo({ dataDir: path.join(dir, 'dynamo'), port: 29600, portAttempts: 20 });
  port = Number(new URL(dynamo.endpoint).port);
  s = await startShop({ dynamoEndpoint: dynamo.endpoint });
});
after(async () => {
  if (skip) return;
  await s.close();
  await dynamo.stop();
  await rm(dir, { recursive: true, force: true });
});

test(
  'the DynamoDB API stopped: checkouts fail cleanly with 503 and no order; after it returns no hold is left behind',
  { skip, timeout: 180_000 },
  async () => {
    const item = await s.product(100, 9);
    const buyers = await Promise.all(Array.from({ length: 5 }, (_, i) => s.login(`dynamo_out_${i}`)));
    const place = (i: number) =>
      s.call(
        'POST',
        '/api/orders',
        { items: [{ product_id: item.id, quantity: 1 }], shipping_address: address },
        buyers[i % 5]!.auth,
      );
    const first = await runBounded(10, 5, place);
    assert.deepEqual([...new Set(first.map((a) => a.status))], [201]);
    const count = async (where = 'true') =>
      (await s.ordersPool.query(`SELECT count(*)::int AS n FROM orders WHERE ${where}`)).rows[0].n as number;
    const placed = () => count('placed_at IS NOT NULL');
    const placedBefore = await placed();

    await dynamo.stop();
    const during = await runBounded(30, 5, place);
    assert.deepEqual([...new Set(during.map((a) => a.status))], [503], during.map((a) => a.status).join());
    // The first answers come from the order service (catalog_unavailable); once they opened the gateway's breaker
    // to orders, the rest are the gateway's own upstream_unavailable (see docs/reliability.md).
    assert.ok(
      during.every((a) => a.json.status === 503 && a.json.type),
      'a problem+json answer',
    );
    assert.equal(during[0]!.json.code, 'catalog_unavailable');
    // The attempts' rows wait, unplaced and invisible to their customers, until their (empty) holds are released.
    assert.equal(await placed(), placedBefore, 'no order was placed while the catalog was away');

    dynamo = await startDynamo({ dataDir: path.join(dir, 'dynamo'), port, portAttempts: 1 });
    // The order service's breaker to products may stay open a while (half-open after 10 s): keep trying.
    let res = await place(0);
    for (const deadline = Date.now() + 60_000; res.status !== 201 && Date.now() < deadline; res = await place(0))
      await sleep(500);
    assert.equal(res.status, 201, JSON.stringify(res.json));
    const afterwards = await runBounded(10, 5, place);
    assert.deepEqual([...new Set(afterwards.map((a) => a.status))], [201]);
    // Conserved stock with every saga finished: nothing the outage touched still holds a unit.
    const orders = await checkBooks(s, [{ id: item.id, initial: 100 }]);
    assert.equal(orders.length, 21);
    assert.equal(await count(), 21, 'the unplaced attempts were undone and deleted');
    assert.equal(await s.stockOf(item.id), 79);
  },
);
