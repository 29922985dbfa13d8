import { setTimeout as sleep } from 'node:timers/promises';
import { Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import type { OrderEvent } from '@emporium/events';
import { created, item, paid } from '../e2e/analytics/job-events.ts';
import { cpuTotals, latencyRow, printCpu } from './measure.ts';

/**
 * The notification path alone at `rate` orders a second: each order's three events (placed, paid, confirmed)
 * written to the `orders` topic as the orders and payments relays write them, each order timed from its
 * confirmation event being acknowledged by the broker (its commit, less the relay's few milliseconds) to
 * Mailpit accepting the confirmation mail. The checkout services stay idle, so this is what the notification
 * service, its database, the broker and the SMTP server do with the cores to themselves, as when the checkout
 * runs on nodes of its own.
 */
export async function measureNotificationPath(options: {
  brokers: string[];
  userId: number;
  rate: number;
  seconds: number;
  firstOrderId: number;
  waitForMails: (ids: number[], timeoutMs: number) => Promise<Map<number, number>>;
  pids: Record<string, number>;
  /** The notification service's /metrics: where the time went, consuming or sending. */
  metricsUrl: string;
}): Promise<void> {
  const { rate, seconds } = options;
  const producer = new Producer({
    clientId: 'bench-orders-relay',
    bootstrapBrokers: options.brokers,
    serializers: stringSerializers,
    acks: ProduceAcks.ALL,
  });
  const order = (id: number): OrderEvent[] => {
    const at = new Date().toISOString();
    const items = [item((id % 50) + 1, 1, 9.99)];
    const placed = { ...created(id, at, 'GB', items), user_id: options.userId };
    const confirmed = { ...placed, event_type: 'order_status_changed' as const, status: 'processing' as const };
    return [
      placed,
      { ...paid(id, at, 'GB', items), user_id: options.userId },
      { ...confirmed, event_id: crypto.randomUUID(), previous_status: 'pending' as const },
    ];
  };
  const send = async (id: number) => {
    const messages = order(id).map((e) => ({ topic: 'orders', key: String(id), value: JSON.stringify(e) }));
    await producer.send({ messages });
    return { id, committedAt: Date.now() };
  };
  try {
    await Promise.all(Array.from({ length: 10 }, (_, i) => send(options.firstOrderId - 10 + i))); // warm the producer
    const stages0 = await stages(options.metricsUrl);
    const cpuBefore = await cpuTotals();
    const began = performance.now();
    const sent: Array<Promise<{ id: number; committedAt: number }>> = [];
    for (let i = 0; i < rate * seconds; i++) {
      const wait = began + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      sent.push(send(options.firstOrderId + i));
    }
    const orders = await Promise.all(sent);
    const mails = await options.waitForMails(
      orders.map((o) => o.id),
      120_000,
    );
    const wall = (performance.now() - began) / 1000;
    printCpu(cpuBefore, await cpuTotals(), wall, options.pids);
    const latencies = orders.flatMap((o) => (mails.has(o.id) ? [mails.get(o.id)! - o.committedAt] : []));
    console.log(`\n| measure (notification path alone, ${rate} orders/s) | n | p50 ms | p99 ms | max ms |`);
    console.log('|---|---:|---:|---:|---:|');
    console.log(latencyRow('confirmation event committed → mail accepted by Mailpit', latencies));
    console.log(`${orders.length - latencies.length} confirmations missing after 120 s`);
    const stages1 = await stages(options.metricsUrl);
    const mean = (name: string) =>
      (((stages1.get(`${name}_sum`) ?? 0) - (stages0.get(`${name}_sum`) ?? 0)) * 1000) /
      Math.max(1, (stages1.get(`${name}_count`) ?? 0) - (stages0.get(`${name}_count`) ?? 0));
    const consumed = mean('emporium_messaging_consume_delay_seconds').toFixed(0);
    const delivered = mean('emporium_notifications_delivery_seconds').toFixed(0);
    console.log(
      `mean ms: event written → handled by the consumer ${consumed}; recorded → accepted by SMTP ${delivered}`,
    );
  } finally {
    await producer.close();
  }
}

/** Sums and counts of the two stage histograms (all labels together). */
async function stages(metricsUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const out = new Map<string, number>();
  for (const m of text.matchAll(
    /^(emporium_(?:messaging_consume_delay|notifications_delivery)_seconds_(?:sum|count))(?:\{[^}]*\})? (\S+)$/gm,
  )) {
    out.set(m[1]!, (out.get(m[1]!) ?? 0) + Number(m[2]));
  }
  return out;
}
