import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { deadLetterTopic, TOPICS } from '@emporium/events';
import { createLogger, createPool, type Pool } from '@emporium/kit';
import { captureLogs, createTestDatabase, newServiceKeys } from '@emporium/kit/testing';
import { createEventProducer, createOutboxRelay, ensureTopics, type EventProducer } from '@emporium/messaging';
import client from 'prom-client';
import { startKafka, type KafkaHandle } from '../../platform/kafka.ts';
import { buildApp, type NotificationsApp } from '../../services/notifications/src/app.ts';
import { readConfig } from '../../services/notifications/src/config.ts';
import { startShop } from '../checkout/shop.ts';

const addr = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

/**
 * The shop of e2e/checkout with the notification service behind the gateway, its users' outbox relayed
 * (reset links), on a Kafka broker of this suite's own: the consumer reads the whole `orders` topic, and
 * on the run's shared broker it would meet other suites' orders for user ids that mean someone else here.
 */
export async function startNotifyingShop(options: {
  smtpUrl: string;
  env?: Record<string, string>;
  /** More services behind the same gateway (e.g. analytics for the browser tests); returns their gateway env. */
  more?: (ctx: { jwks: string }) => Promise<{ gatewayEnv: Record<string, string>; close(): Promise<void> }>;
}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'notify-kafka-'));
  const kafka: KafkaHandle = await startKafka({
    dataDir: path.join(dir, 'kafka'),
    port: 29600,
    portAttempts: 50,
    heapMb: 192,
  });
  const brokers = kafka.brokers;
  const topics = [TOPICS.orders, TOPICS.notifications];
  await ensureTopics(brokers, [...topics, ...topics.map((t) => ({ name: deadLetterTopic(t.name), partitions: 1 }))], 1);
  const keys = await newServiceKeys(['notifications']);
  let notifications: NotificationsApp | undefined;
  let pool: Pool | undefined;
  let databaseUrl = '';
  let producer: EventProducer | undefined;
  const logs = captureLogs();
  const shop = await startShop({
    brokers,
    usersEnv: { SERVICE_TRUSTED_KEYS: keys.trustedKeys },
    extraServices: async ({ usersUrl, usersDatabaseUrl, jwks }) => {
      const db = await createTestDatabase(path.join(import.meta.dirname, '../../services/notifications/migrations'));
      databaseUrl = db.url;
      pool = createPool(db.url, 10);
      const config = readConfig({
        DATABASE_URL: db.url,
        KAFKA_BROKERS: brokers.join(','),
        JWKS_URL: jwks,
        USERS_URL: usersUrl,
        SERVICE_PRIVATE_KEY: keys.privateKeys['notifications']!,
        SMTP_URL: options.smtpUrl,
        LOG_LEVEL: 'warn',
        DISPATCH_INTERVAL_MS: '100',
        ...options.env,
      });
      notifications = await buildApp(config, { pool, logStream: logs.stream });
      await notifications.listen({ port: 0, host: '127.0.0.1' });
      await notifications.startWorkers();
      producer = createEventProducer({ brokers, clientId: 'users-test' });
      const relay = createOutboxRelay({
        databaseUrl: usersDatabaseUrl,
        producer,
        registry: new client.Registry(),
        log: createLogger('users-relay', 'error', captureLogs().stream),
        lockKey: 5001,
        pollMs: 200,
      });
      await relay.start();
      const more = await options.more?.({ jwks });
      return {
        gatewayEnv: { NOTIFICATIONS_URL: addr(notifications), ...more?.gatewayEnv },
        async close() {
          await more?.close();
          await relay.stop();
          await notifications!.close();
          await producer!.close();
          await pool!.end();
          await db.drop();
        },
      };
    },
  });
  return {
    ...shop,
    brokers,
    logs,
    notifications: notifications!,
    notificationsPool: pool!,
    notificationsDbUrl: databaseUrl,
    /** Publishes raw values to a topic of this shop's broker (duplicates, poison). */
    publishRaw: (topic: string, key: string, value: string) => producer!.publishRaw(topic, key, value, {}),
    async close() {
      await shop.close();
      await kafka.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type NotifyingShop = Awaited<ReturnType<typeof startNotifyingShop>>;
