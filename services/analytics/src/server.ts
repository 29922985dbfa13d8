import { createPool, readConfigOrExit, runService } from '@emporium/kit';
import { createEventProducer } from '@emporium/messaging';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { createResultConsumer } from './results/result-consumer.ts';

const config = readConfigOrExit(readConfig);
const pool = createPool(config.databaseUrl, config.databasePoolSize, {
  connectTimeoutMs: config.databaseConnectTimeoutMs,
  statementTimeoutMs: config.databaseStatementTimeoutMs,
});
const app = await buildApp(config, { pool });

const brokers = config.kafkaBrokers.split(',');
// Only dead letters are written: a result that breaks its contract is parked in analytics-results.dlq.
const deadLetters = createEventProducer({ brokers, clientId: 'analytics', timeoutMs: config.kafkaTimeoutMs });
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

await runService(app, {
  port: config.port,
  host: config.host,
  exitWithParent: config.exitWithParent,
  onShutdown: async () => {
    await consumer.stop();
    await deadLetters.close();
    await pool.end();
  },
});
