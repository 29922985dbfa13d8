import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { runMigrations } from '@emporium/kit';
import { repoRoot, type PlatformConfig } from './config.ts';
import { deadLetterTopic, TOPICS } from '@emporium/events';
import { ensureTopics } from '@emporium/messaging';
import { startDynamo, type DynamoHandle } from './dynamodb.ts';
import { startKafka, type KafkaHandle } from './kafka.ts';
import { startMailInbox, type MailInbox } from './mail-inbox.ts';
import { startMailpit, type MailpitHandle } from './mailpit.ts';
import { startPostgres, type PostgresHandle } from './postgres.ts';
import { ensureRedisServer, startRedis, type RedisHandle } from './redis.ts';
import { freePortPair } from './lambda.ts';
import { startS3, type S3Handle } from './s3.ts';

export interface Infrastructure {
  usersDatabaseUrl: string;
  paymentsDatabaseUrl: string;
  ordersDatabaseUrl: string;
  analyticsDatabaseUrl: string;
  notificationsDatabaseUrl: string;
  redisUrl: string | undefined;
  dynamodbEndpoint: string;
  kafkaBrokers: string[];
  /** Mailpit's SMTP server (the notification service's SMTP_URL), its HTTP API and our inbox page on it. */
  smtpUrl: string;
  mailpitUrl: string;
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
  let inbox: MailInbox | undefined;
  let s3: S3Handle | undefined;
  const stop = async () => {
    await s3?.stop();
    await inbox?.close();
    await mailpit?.stop();
    await kafka?.stop();
    await dynamo?.stop();
    await redis?.stop();
    await postgres?.stop();
  };
  const began = Date.now();
  const took = () => `${((Date.now() - began) / 1000).toFixed(1)} s`;
  // The stores do not need one another, so they start side by side: the JVM's start-up no longer waits
  // behind PostgreSQL's, nor Mailpit's behind both (the launcher once took over 120 s on a loaded machine).
  const databases: Record<'users' | 'payments' | 'orders' | 'notifications' | 'analytics', string | undefined> = {
    users: config.usersDatabaseUrl,
    payments: config.paymentsDatabaseUrl,
    orders: config.ordersDatabaseUrl,
    notifications: config.notificationsDatabaseUrl,
    analytics: config.analyticsDatabaseUrl,
  };
  let redisUrl = config.redisUrl;
  let dynamodbEndpoint = config.dynamodbEndpoint;
  let kafkaBrokers = config.kafkaBrokers
    ?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const startSql = async () => {
    // One database per service; each is embedded unless its *_DATABASE_URL points elsewhere.
    const services = Object.keys(databases) as Array<keyof typeof databases>;
    if (services.some((s) => !databases[s])) {
      postgres = await startPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: config.postgresPort });
      say(
        `PostgreSQL ready on 127.0.0.1:${postgres.port} (data in ${path.join(config.dataDir, 'postgres')}) after ${took()}`,
      );
    }
    await Promise.all(
      services.map(async (service) => {
        if (!databases[service]) {
          await postgres!.ensureDatabase(service);
          databases[service] = postgres!.url(service);
        }
        const dir = path.join(repoRoot, `services/${service}/migrations`);
        const migrated = await runMigrations(databases[service]!, dir);
        if (migrated.applied.length) say(`${service}: applied migrations ${migrated.applied.join(', ')}`);
      }),
    );
  };
  const startCache = async () => {
    if (redisUrl) return;
    ensureRedisServer(say);
    redis = await startRedis({ dataDir: path.join(config.dataDir, 'redis'), port: config.redisPort, persistent: true });
    redisUrl = redis.url;
    say(`Redis ready at ${redisUrl} after ${took()}`);
  };
  const startDocuments = async () => {
    if (dynamodbEndpoint) return;
    dynamo = await startDynamo({ dataDir: path.join(config.dataDir, 'dynamodb'), port: config.dynamodbPort });
    dynamodbEndpoint = dynamo.endpoint;
    say(`DynamoDB API (dynalite) ready at ${dynamodbEndpoint} after ${took()}`);
  };
  const startBroker = async () => {
    if (!kafkaBrokers?.length) {
      kafka = await startKafka({
        dataDir: path.join(config.dataDir, 'kafka'),
        port: config.kafkaPort,
        log: () => undefined,
      });
      kafkaBrokers = kafka.brokers;
      say(
        `Kafka broker ready at ${kafkaBrokers.join(',')} (data in ${path.join(config.dataDir, 'kafka')}) after ${took()}`,
      );
    }
    const topics = [TOPICS.orders, TOPICS.analyticsResults, TOPICS.notifications];
    await ensureTopics(
      kafkaBrokers,
      [...topics, ...topics.map((t) => ({ name: deadLetterTopic(t.name), partitions: 1 }))],
      config.kafkaReplicationFactor,
    );
  };
  const startMail = async () => {
    await mkdir(path.join(config.dataDir, 'logs'), { recursive: true });
    mailpit = await startMailpit({
      dataDir: path.join(config.dataDir, 'mailpit'),
      smtpPort: config.smtpPort,
      httpPort: config.mailpitPort,
      logFile: path.join(config.dataDir, 'logs', 'mailpit.log'),
      say,
    });
    say(
      `Mailpit ready: SMTP at ${mailpit.smtpUrl}, API at ${mailpit.url} (mail in ${path.join(config.dataDir, 'mailpit')}) after ${took()}`,
    );
    inbox = await startMailInbox({ port: config.mailInboxPort, mailpitUrl: mailpit.url });
  };
  try {
    // Every start is awaited before failing, so stop() below sees each handle that came up.
    const outcomes = await Promise.allSettled([startSql(), startCache(), startDocuments(), startBroker(), startMail()]);
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
    if (!mailpit || !inbox || !kafkaBrokers || !dynamodbEndpoint) throw new Error('a store did not start');
    const usersDatabaseUrl = databases.users!;
    const paymentsDatabaseUrl = databases.payments!;
    const ordersDatabaseUrl = databases.orders!;
    const notificationsDatabaseUrl = databases.notifications!;
    const analyticsDatabaseUrl = databases.analytics!;

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
      analyticsDatabaseUrl,
      notificationsDatabaseUrl,
      redisUrl,
      dynamodbEndpoint,
      kafkaBrokers,
      smtpUrl: mailpit.smtpUrl,
      mailpitUrl: mailpit.url,
      mailInboxUrl: inbox.url,
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
