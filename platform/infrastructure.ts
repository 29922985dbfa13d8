import path from 'node:path';
import { runMigrations } from '@emporium/kit';
import { repoRoot, type PlatformConfig } from './config.ts';
import { deadLetterTopic, TOPICS } from '@emporium/events';
import { ensureTopics } from '@emporium/messaging';
import { startDynamo, type DynamoHandle } from './dynamodb.ts';
import { startKafka, type KafkaHandle } from './kafka.ts';
import { startMailpit, type MailpitHandle } from './mailpit.ts';
import { startPostgres, type PostgresHandle } from './postgres.ts';
import { ensureRedisServer, startRedis, type RedisHandle } from './redis.ts';

export interface Infrastructure {
  usersDatabaseUrl: string;
  paymentsDatabaseUrl: string;
  ordersDatabaseUrl: string;
  notificationsDatabaseUrl: string;
  redisUrl: string | undefined;
  dynamodbEndpoint: string;
  kafkaBrokers: string[];
  /** Mailpit's SMTP server (the notification service's SMTP_URL) and its web inbox. */
  smtpUrl: string;
  mailInboxUrl: string;
  pids: Record<string, number>;
  stop(): Promise<void>;
}

type Say = (line: string) => void;

/** The stores, embedded unless a setting points at an existing one; databases created and migrated. */
export async function startInfrastructure(config: PlatformConfig, say: Say): Promise<Infrastructure> {
  let postgres: PostgresHandle | undefined;
  let redis: RedisHandle | undefined;
  let dynamo: DynamoHandle | undefined;
  let kafka: KafkaHandle | undefined;
  let mailpit: MailpitHandle | undefined;
  const stop = async () => {
    await mailpit?.stop();
    await kafka?.stop();
    await dynamo?.stop();
    await redis?.stop();
    await postgres?.stop();
  };
  try {
    // One database per service; each is embedded unless its *_DATABASE_URL points elsewhere.
    const databases: Record<'users' | 'payments' | 'orders' | 'notifications', string | undefined> = {
      users: config.usersDatabaseUrl,
      payments: config.paymentsDatabaseUrl,
      orders: config.ordersDatabaseUrl,
      notifications: config.notificationsDatabaseUrl,
    };
    for (const [service, url] of Object.entries(databases) as Array<[keyof typeof databases, string | undefined]>) {
      if (!url) {
        if (!postgres) {
          postgres = await startPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: config.postgresPort });
          say(`PostgreSQL ready on 127.0.0.1:${postgres.port} (data in ${path.join(config.dataDir, 'postgres')})`);
        }
        await postgres.ensureDatabase(service);
        databases[service] = postgres.url(service);
      }
      const migrated = await runMigrations(databases[service]!, path.join(repoRoot, `services/${service}/migrations`));
      if (migrated.applied.length) say(`${service}: applied migrations ${migrated.applied.join(', ')}`);
    }
    const usersDatabaseUrl = databases.users!;
    const paymentsDatabaseUrl = databases.payments!;
    const ordersDatabaseUrl = databases.orders!;
    const notificationsDatabaseUrl = databases.notifications!;

    let redisUrl = config.redisUrl;
    if (!redisUrl) {
      ensureRedisServer(say);
      redis = await startRedis({
        dataDir: path.join(config.dataDir, 'redis'),
        port: config.redisPort,
        persistent: true,
      });
      redisUrl = redis.url;
      say(`Redis ready at ${redisUrl}`);
    }

    let dynamodbEndpoint = config.dynamodbEndpoint;
    if (!dynamodbEndpoint) {
      dynamo = await startDynamo({ dataDir: path.join(config.dataDir, 'dynamodb'), port: config.dynamodbPort });
      dynamodbEndpoint = dynamo.endpoint;
      say(`DynamoDB API (dynalite) ready at ${dynamodbEndpoint}`);
    }
    let kafkaBrokers = config.kafkaBrokers
      ?.split(',')
      .map((b) => b.trim())
      .filter(Boolean);
    if (!kafkaBrokers?.length) {
      kafka = await startKafka({
        dataDir: path.join(config.dataDir, 'kafka'),
        port: config.kafkaPort,
        log: () => undefined,
      });
      kafkaBrokers = kafka.brokers;
      say(`Kafka broker ready at ${kafkaBrokers.join(',')} (data in ${path.join(config.dataDir, 'kafka')})`);
    }
    const topics = [TOPICS.orders, TOPICS.analyticsResults, TOPICS.notifications];
    await ensureTopics(
      kafkaBrokers,
      [...topics, ...topics.map((t) => ({ name: deadLetterTopic(t.name), partitions: 1 }))],
      config.kafkaReplicationFactor,
    );

    mailpit = await startMailpit({
      dataDir: path.join(config.dataDir, 'mailpit'),
      smtpPort: config.smtpPort,
      httpPort: config.mailpitPort,
      logFile: path.join(config.dataDir, 'logs', 'mailpit.log'),
      say,
    });
    say(
      `Mailpit ready: SMTP at ${mailpit.smtpUrl}, inbox at ${mailpit.url} (mail in ${path.join(config.dataDir, 'mailpit')})`,
    );

    const pids: Record<string, number> = {};
    pids['mailpit'] = mailpit.pid;
    if (kafka) pids['kafka'] = kafka.pid;
    if (dynamo) pids['dynamodb'] = dynamo.pid;
    if (postgres) pids['postgres'] = postgres.pid;
    if (redis) pids['redis'] = redis.pid;
    return {
      usersDatabaseUrl,
      paymentsDatabaseUrl,
      ordersDatabaseUrl,
      notificationsDatabaseUrl,
      redisUrl,
      dynamodbEndpoint,
      kafkaBrokers,
      smtpUrl: mailpit.smtpUrl,
      mailInboxUrl: mailpit.url,
      pids,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
