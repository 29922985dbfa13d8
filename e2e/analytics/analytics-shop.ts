import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createPool, createTokenVerifier } from '@emporium/kit';
import { captureLogs, createTestDatabase } from '@emporium/kit/testing';
import { createEventProducer } from '@emporium/messaging';
import { buildApp } from '../../services/analytics/src/app.ts';
import { readConfig } from '../../services/analytics/src/config.ts';
import { createResultConsumer } from '../../services/analytics/src/results/result-consumer.ts';

const addr = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

/**
 * The analytics API as `startShop`'s extra service: its own database, consuming `analytics-results` of the given
 * broker (read_committed) as server.ts does, behind the shop's gateway.
 */
export function analyticsService(brokers: string[]) {
  return async ({ jwks }: { jwks: string }) => {
    const db = await createTestDatabase(path.join(import.meta.dirname, '../../services/analytics/migrations'));
    const pool = createPool(db.url, 5);
    const config = readConfig({
      DATABASE_URL: db.url,
      JWKS_URL: jwks,
      KAFKA_BROKERS: brokers.join(','),
      LOG_LEVEL: 'warn',
    });
    const logStream = captureLogs().stream;
    const app = await buildApp(config, { pool, verify: createTokenVerifier({ jwksUrl: jwks }), logStream });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const deadLetters = createEventProducer({ brokers, clientId: 'analytics-e2e' });
    const consumer = createResultConsumer({
      brokers,
      groupId: config.kafkaGroupId,
      pool,
      service: app.results,
      deadLetters,
      registry: app.metrics,
      log: app.log,
    });
    await consumer.start();
    return {
      gatewayEnv: { ANALYTICS_URL: addr(app) },
      async close() {
        await consumer.stop();
        await deadLetters.close();
        await app.close();
        await pool.end();
        await db.drop();
      },
    };
  };
}

export interface OrderEventLike {
  event_type: string;
  order_id: number;
  timestamp: string;
  amount?: number;
  refund_amount?: number;
}

export interface Summary {
  orders_placed: number;
  orders_paid: number;
  revenue: number;
}

/** What SPEC's window_summary says about these events, per window start (ISO), counted here independently. */
export function expectedSummaries(events: OrderEventLike[], windowMs: number): Map<string, Summary> {
  const cents = (n: number | undefined) => Math.round((n ?? 0) * 100);
  const windows = new Map<string, { placed: number; paid: number; cents: number }>();
  for (const e of events) {
    const t = Date.parse(e.timestamp);
    const start = new Date(t - (t % windowMs)).toISOString();
    const w = windows.get(start) ?? { placed: 0, paid: 0, cents: 0 };
    if (e.event_type === 'order_created') w.placed++;
    if (e.event_type === 'payment_succeeded') [w.paid, w.cents] = [w.paid + 1, w.cents + cents(e.amount)];
    if (e.event_type === 'payment_refunded') w.cents -= cents(e.refund_amount);
    windows.set(start, w);
  }
  return new Map(
    [...windows].map(([start, w]) => [start, { orders_placed: w.placed, orders_paid: w.paid, revenue: w.cents / 100 }]),
  );
}
