import { createPool, readConfigOrExit, runService } from '@emporium/kit';
import { startOutboxPublishing } from '@emporium/messaging';
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
const outbox = await startOutboxPublishing({
  brokers: config.kafkaBrokers.split(','),
  clientId: 'payments',
  timeoutMs: config.kafkaTimeoutMs,
  databaseUrl: config.databaseUrl,
  registry: app.metrics,
  log: app.log,
  lockKey: 5005,
  flags: app.flags,
});

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: async () => {
    await outbox.stop();
    await pool.end();
  },
});
