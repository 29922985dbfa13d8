import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testBrokers } from '@emporium/messaging/testing';
import { startKafka, type KafkaHandle } from '../../platform/kafka.ts';
import { address, startShop, type Shop } from '../checkout/shop.ts';
import { checkBooks } from './books.ts';
import { runBounded } from './load.ts';

// Fault 6 of docs/reliability.md. A broker of this file's own, so it can be stopped under a running shop.
// The outage lasts 20 s (resilience.test.ts shows the relay's backlog gauge; here the point is the books).
const OUTAGE_MS = 20_000;
const skip = testBrokers().length ? false : 'no Kafka (run with npm test)';
let dir: string;
let kafka: KafkaHandle;
let s: Shop;

before(async () => {
  if (skip) return;
  dir = await mkdtemp(path.join(tmpdir(), 'faults-kafka-'));
  kafka = await startKafka({ dataDir: path.join(dir, 'kafka'), port: 29500, portAttempts: 20 });
  s = await startShop({ brokers: kafka.brokers });
});
after(async () => {
  if (skip) return;
  await s.close();
  await kafka.stop();
  await rm(dir, { recursive: true, force: true });
});

test(
  `Kafka stopped for ${OUTAGE_MS / 1000} s under load: checkouts go on, every committed event arrives after, none twice`,
  { skip, timeout: 180_000 },
  async () => {
    const items = await Promise.all([s.product(5_000, 4), s.product(5_000, 6.5)]);
    const buyers = await Promise.all(Array.from({ length: 8 }, (_, i) => s.login(`kafka_out_${i}`)));
    const answers: { status: number; during: boolean }[] = [];
    let down = false;
    let running = true;
    const load = runBounded(8, 8, async (w) => {
      for (let i = 0; running; i++) {
        const declined = i % 7 === 3;
        const res = await s.call(
          'POST',
          '/api/orders',
          {
            items: [{ product_id: items[(w + i) % 2]!.id, quantity: 1 + (i % 2) }],
            shipping_address: address,
            ...(declined ? { payment_method: 'pm_card_chargeDeclined' } : {}),
          },
          buyers[w]!.auth,
        );
        answers.push({ status: res.status, during: down });
        // Some paid orders are cancelled, so refunds and cancellations wait in the outboxes too.
        if (res.status === 201 && i % 5 === 0)
          assert.equal((await s.call('DELETE', `/api/orders/${res.json.id}`, undefined, buyers[w]!.auth)).status, 200);
        await sleep(25);
      }
    });
    try {
      await sleep(2_000);
      await kafka.stop();
      down = true;
      await sleep(OUTAGE_MS);
      kafka = await startKafka({ dataDir: path.join(dir, 'kafka'), port: kafka.port, portAttempts: 1 });
      down = false;
      await sleep(2_000);
    } finally {
      running = false;
      await load;
    }
    const unexpected = answers.filter((a) => a.status !== 201 && a.status !== 402);
    assert.deepEqual(unexpected, [], 'every checkout answered as if Kafka were there');
    assert.ok(answers.filter((a) => a.during).length >= 50, `${answers.length} checkouts, few during the outage`);
    // At least once, as designed: a send cut off by the broker going away may have landed, and is sent again
    // (same event_id, which consumers skip). None may be missing.
    const orders = await checkBooks(
      s,
      items.map((p) => ({ id: p.id, initial: 5_000 })),
      { republishAllowed: true },
    );
    assert.equal(orders.length, answers.length);
  },
);
