import path from 'node:path';
import { parseAnyEvent, TOPICS, type PlatformEvent } from '@emporium/events';
import {
  buildServiceApp,
  createServiceCredential,
  createTokenVerifier,
  pingDatabase,
  type Pool,
  type ServiceApp,
  type TokenVerifier,
} from '@emporium/kit';
import { createEventConsumer, createEventProducer, createPgDedupeStore, type EventProducer } from '@emporium/messaging';
import type { DestinationStream } from 'pino';
import { createEmailChannel } from './channels/email-channel.ts';
import { createPushChannel } from './channels/push-channel.ts';
import { createSmsChannel } from './channels/sms-channel.ts';
import type { NotificationsConfig } from './config.ts';
import { createDispatcher } from './deliveries/delivery-dispatcher.ts';
import { createDeliveryRepository } from './deliveries/delivery-repository.ts';
import { deliveryRoutes } from './deliveries/delivery-routes.ts';
import { createDeliveryService } from './deliveries/delivery-service.ts';
import { createNoticeHandler } from './notices/notice-handler.ts';
import { createRecipientClient } from './recipients/recipient-client.ts';
import { createRenderer } from './templates/template-renderer.ts';
import { templateRoutes } from './templates/template-routes.ts';

export const CONSUMER_GROUP = 'notification-service-group';
export const TEMPLATES_DIR = path.join(import.meta.dirname, '..', 'templates');

export interface NotificationsDeps {
  pool: Pool;
  verify?: TokenVerifier;
  logStream?: DestinationStream;
  /** Writes dead letters; by default a producer on KAFKA_BROKERS. */
  producer?: EventProducer;
}

export type NotificationsApp = ServiceApp & {
  /** Starts consuming and sending (server.ts, and tests that want the whole service). */
  startWorkers(): Promise<void>;
};

export async function buildApp(config: NotificationsConfig, deps: NotificationsDeps): Promise<NotificationsApp> {
  const app = await buildServiceApp({
    service: 'notifications',
    logLevel: config.logLevel,
    logStream: deps.logStream,
    bodyLimitBytes: 64 * 1024,
    healthTimeoutMs: config.healthTimeoutMs,
    readinessChecks: { postgres: () => pingDatabase(deps.pool) },
  });
  const brokers = config.kafkaBrokers.split(',');
  const producer =
    deps.producer ?? createEventProducer({ brokers, clientId: 'notifications', timeoutMs: config.kafkaTimeoutMs });
  const repo = createDeliveryRepository(deps.pool);
  const renderer = createRenderer(TEMPLATES_DIR);
  const credential = createServiceCredential({ service: 'notifications', privateKeyPem: config.servicePrivateKey });
  const recipients = createRecipientClient({
    baseUrl: config.usersUrl,
    timeoutMs: config.serviceTimeoutMs,
    cacheSeconds: config.recipientCacheSeconds,
    registry: app.metrics,
    credential,
  });
  const channels = {
    email: createEmailChannel({ smtpUrl: config.smtpUrl, from: config.mailFrom, poolSize: config.smtpPoolSize }),
    sms: createSmsChannel({
      accountSid: config.twilioAccountSid,
      authToken: config.twilioAuthToken,
      from: config.twilioFromNumber,
      apiUrl: config.twilioApiUrl,
      timeoutMs: config.serviceTimeoutMs,
    }),
    push: createPushChannel({
      serviceAccount: config.fcmServiceAccount,
      apiUrl: config.fcmApiUrl,
      timeoutMs: config.serviceTimeoutMs,
    }),
  };
  for (const c of Object.values(channels)) {
    if (c.disabledReason) app.log.warn({ channel: c.name }, `${c.disabledReason}; its messages are only recorded`);
  }
  const dispatcher = createDispatcher({
    repo,
    channels,
    deadLetters: producer,
    policy: {
      maxAttempts: config.deliveryMaxAttempts,
      baseMs: config.deliveryRetryBaseMs,
      maxMs: config.deliveryRetryMaxMs,
      giveUpAfterMs: config.deliveryGiveUpAfterSeconds * 1000,
    },
    breaker: {
      threshold: config.breakerThreshold,
      windowMs: config.breakerWindowMs,
      halfOpenMs: config.breakerHalfOpenMs,
    },
    concurrency: config.dispatchConcurrency,
    intervalMs: config.dispatchIntervalMs,
    registry: app.metrics,
    log: app.log,
  });
  const handler = createNoticeHandler({
    repo,
    recipients,
    renderer,
    deadLetters: producer,
    storefrontUrl: config.storefrontUrl,
    currency: config.currency,
  });
  const dedupe = createPgDedupeStore(deps.pool, CONSUMER_GROUP);
  const consumer = createEventConsumer<PlatformEvent>({
    brokers,
    groupId: CONSUMER_GROUP,
    clientId: 'notifications',
    topics: [TOPICS.orders.name, TOPICS.notifications.name],
    parse: parseAnyEvent,
    handle: handler.handle,
    wants: handler.wants,
    // The rows commit with the "handled" mark; the dispatcher is woken once they are visible.
    dedupe: {
      async run(eventId, work) {
        const outcome = await dedupe.run(eventId, work);
        if (outcome === 'processed') dispatcher.wake();
        return outcome;
      },
    },
    deadLetters: producer,
    concurrency: config.consumerConcurrency,
    // The design's retry rule for a failing handler (users unreachable, say): 3 attempts, 1 s → 10 s apart.
    maxAttempts: config.deliveryMaxAttempts,
    backoffMs: config.deliveryRetryBaseMs,
    maxBackoffMs: config.deliveryRetryMaxMs,
    onDeadLetter: handler.recordDeadLetter,
    registry: app.metrics,
    log: app.log,
  });

  const verify = deps.verify ?? createTokenVerifier({ jwksUrl: config.jwksUrl });
  const service = createDeliveryService({
    pool: deps.pool,
    repo,
    renderer,
    handler,
    currency: config.currency,
    wake: dispatcher.wake,
  });
  deliveryRoutes(app, service, verify);
  templateRoutes(app, renderer, verify, { storefrontUrl: config.storefrontUrl, currency: config.currency });

  let started = false;
  app.addHook('onClose', async () => {
    if (started) await consumer.stop();
    await dispatcher.stop();
    for (const c of Object.values(channels)) await c.close();
    await recipients.close();
    if (!deps.producer) await producer.close();
  });
  return Object.assign(app, {
    async startWorkers() {
      await consumer.start();
      started = true;
      dispatcher.start();
    },
  });
}
