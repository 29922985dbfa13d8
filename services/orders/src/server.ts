import { createPool, readConfigOrExit, runService } from '@emporium/kit';
import { createEventProducer, createOutboxRelay } from '@emporium/messaging';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

const config = readConfigOrExit(readConfig);
const pool = createPool(config.databaseUrl, config.databasePoolSize, {
  connectTimeoutMs: config.databaseConnectTimeoutMs,
  statementTimeoutMs: config.databaseStatementTimeoutMs,
});
const app = await buildApp(config, { pool });

// Order events leave through the outbox: a committed order always gets its events, Kafka up or not.
const producer = createEventProducer({ brokers: config.kafkaBrokers.split(','), clientId: 'orders' });
const relay = createOutboxRelay({ databaseUrl: config.databaseUrl, producer, registry: app.metrics, log: app.log, lockKey: 5003 });
await relay.start();

const reconciler = setInterval(() => {
  app.reconcile().catch((err: unknown) => app.log.warn({ err: (err as Error).message }, 'reconcile pass failed; will retry'));
}, config.reconcileSeconds * 1000);
reconciler.unref();

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: async () => {
    clearInterval(reconciler);
    await relay.stop();
    await producer.close();
    await pool.end();
  },
});
