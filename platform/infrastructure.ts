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
import { freePortPair } from './lambda.ts';
import { startS3, type S3Handle } from './s3.ts';

export interface Infrastructure {
  usersDatabaseUrl: string;
  paymentsDatabaseUrl: string;
  ordersDatabaseUrl: string;
  redisUrl: string | undefined;
  dynamodbEndpoint: string;
  kafkaBrokers: string[];
  /** Mailpit's SMTP server (the coming notification service's SMTP_URL) and its web inbox. */
  smtpUrl: string;
  mailInboxUrl: string;
  /** The local S3 API and the port its bucket notification invokes the image function on (started later). */
  s3: S3Handle;
  lambdaPort: number;
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
  let s3: S3Handle | undefined;
  const stop = async () => {
    await s3?.stop();
    await mailpit?.stop();
    await kafka?.stop();
    await dynamo?.stop();
    await redis?.stop();
    await postgres?.stop();
  };
  try {
    // One database per service; each is embedded unless its *_DATABASE_URL points elsewhere.
    const databases: Record<'users' | 'payments' | 'orders', string | undefined> = {
      users: config.usersDatabaseUrl,
      payments: config.paymentsDatabaseUrl,
      orders: config.ordersDatabaseUrl,
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

    const lambdaPort = await freePortPair(config.lambdaPort);
    s3 = await startS3({
      dataDir: path.join(config.dataDir, 's3'),
      port: config.s3Port,
      bucket: config.imagesBucket,
      invokeUrl: `http://127.0.0.1:${lambdaPort}/2015-03-31/functions/function/invocations`,
      corsOrigins: [`http://127.0.0.1:${config.gatewayPort}`, `http://localhost:${config.gatewayPort}`],
      logFile: path.join(config.dataDir, 'logs', 's3.log'),
    });
    say(
      `S3 API (s3rver) ready at ${s3.endpoint}, bucket ${config.imagesBucket} (data in ${path.join(config.dataDir, 's3')})`,
    );

    const pids: Record<string, number> = {};
    pids['s3'] = s3.pid;
    pids['mailpit'] = mailpit.pid;
    if (kafka) pids['kafka'] = kafka.pid;
    if (dynamo) pids['dynamodb'] = dynamo.pid;
    if (postgres) pids['postgres'] = postgres.pid;
    if (redis) pids['redis'] = redis.pid;
    return {
      usersDatabaseUrl,
      paymentsDatabaseUrl,
      ordersDatabaseUrl,
      redisUrl,
      dynamodbEndpoint,
      kafkaBrokers,
      smtpUrl: mailpit.smtpUrl,
      mailInboxUrl: mailpit.url,
      s3,
      lambdaPort,
      pids,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
