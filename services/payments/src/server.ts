import { createPool, readConfigOrExit, runService } from '@emporium/kit';
import { createEventProducer, createOutboxRelay, withPublishFailureFlag } from '@emporium/messaging';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { createSimulatedProvider } from './providers/simulated-provider.ts';
import { createStripeProvider } from './providers/stripe-provider.ts';

const config = readConfigOrExit(readConfig);
const pool = createPool(config.databaseUrl, config.databasePoolSize, {
  connectTimeoutMs: config.databaseConnectTimeoutMs,
  statementTimeoutMs: config.databaseStatementTimeoutMs,
});
const stripe =
  config.provider === 'stripe'
    ? createStripeProvider({
        secretKey: config.stripeSecretKey!,
        apiBase: config.stripeApiBase,
        timeoutMs: config.providerTimeoutMs,
      })
    : undefined;
const provider = stripe ?? createSimulatedProvider(pool);
const app = await buildApp(config, { pool, provider, ...(stripe ? { stripe: stripe.client } : {}) });

// Payment events leave through the outbox: a recorded payment always gets its event, even across a Kafka outage.
const producer = createEventProducer({
  brokers: config.kafkaBrokers.split(','),
  clientId: 'payments',
  timeoutMs: config.kafkaTimeoutMs,
});
// The kafkaPublishFailure flag (never in production) makes the relay's sends fail, so events wait in the outbox.
const publisher = app.flags.active ? withPublishFailureFlag(producer, app.flags) : producer;
const relay = createOutboxRelay({
  databaseUrl: config.databaseUrl,
  producer: publisher,
  registry: app.metrics,
  log: app.log,
  lockKey: 5005,
});
await relay.start();

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: async () => {
    await relay.stop();
    await producer.close();
    await pool.end();
  },
});
