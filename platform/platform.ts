import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot, type PlatformConfig } from './config.ts';
import { startInfrastructure, type Infrastructure } from './infrastructure.ts';
import { flagSettingsFor } from './flags.ts';
import { ensureServiceKeys, ensureSigningKey, SERVICE_CALLERS, type ServiceKeys } from './keys.ts';
import { startProductImagesFunction, type FunctionHandle } from './lambda.ts';
import { spawnService, waitUntilReady, type ServiceProcess } from './processes.ts';
import { startAnalytics, type AnalyticsHandle } from './analytics.ts';
import { pathToFileURL } from 'node:url';
import { S3_LOCAL_CREDENTIALS } from './s3.ts';

export interface RunningPlatform {
  urls: Record<string, string>;
  pids: Record<string, number>;
  stop(): Promise<void>;
  /** Resolves with the name of the first service that exits on its own. */
  firstExit: Promise<string>;
}

type Say = (line: string) => void;

interface ServiceSpec {
  name: string;
  port: number;
  env: Record<string, string>;
}

/** Each service and its settings, in start order; later issues add theirs here. */
function serviceSpecs(
  config: PlatformConfig,
  infra: Infrastructure,
  jwtKey: string,
  serviceKeys: ServiceKeys,
  flags: Record<string, string>,
): ServiceSpec[] {
  const local = (port: number) => `http://127.0.0.1:${port}`;
  const common = { LOG_LEVEL: config.logLevel, HOST: '127.0.0.1', ...flags };
  // Callees trust every caller's public key; each internal route's allow-list says who may call it.
  const trusted = { SERVICE_TRUSTED_KEYS: serviceKeys.trustedKeys };
  const redis: Record<string, string> = infra.redisUrl ? { REDIS_URL: infra.redisUrl } : {};
  const jwks = { JWKS_URL: `${local(config.usersPort)}/.well-known/jwks.json` };
  const assetsBaseUrl = assetsBaseUrlOf(config);
  return [
    {
      name: 'users',
      port: config.usersPort,
      env: {
        ...common,
        PORT: String(config.usersPort),
        DATABASE_URL: infra.usersDatabaseUrl,
        JWT_PRIVATE_KEY: jwtKey,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        // The notification service looks recipients up on its internal route.
        ...trusted,
        ADMIN_EMAIL: config.adminEmail,
        ADMIN_PASSWORD: config.adminPassword,
        ...(config.bcryptCost ? { BCRYPT_COST: config.bcryptCost } : {}),
      },
    },
    {
      name: 'products',
      port: config.productsPort,
      env: {
        ...common,
        ...redis,
        ...jwks,
        ...trusted,
        PORT: String(config.productsPort),
        DYNAMODB_ENDPOINT: infra.dynamodbEndpoint,
        SEED_DEMO_CATALOG: 'true',
        IMAGES_BUCKET: config.imagesBucket,
        ASSETS_BASE_URL: assetsBaseUrl,
        S3_ENDPOINT: infra.s3.endpoint,
        S3_ACCESS_KEY_ID: S3_LOCAL_CREDENTIALS.accessKeyId,
        S3_SECRET_ACCESS_KEY: S3_LOCAL_CREDENTIALS.secretAccessKey,
      },
    },
    {
      name: 'payments',
      port: config.paymentsPort,
      env: {
        ...common,
        ...jwks,
        ...trusted,
        PORT: String(config.paymentsPort),
        DATABASE_URL: infra.paymentsDatabaseUrl,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      },
    },
    {
      name: 'orders',
      port: config.ordersPort,
      env: {
        ...common,
        ...jwks,
        PORT: String(config.ordersPort),
        DATABASE_URL: infra.ordersDatabaseUrl,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        PRODUCTS_URL: local(config.productsPort),
        PAYMENTS_URL: local(config.paymentsPort),
        SERVICE_PRIVATE_KEY: serviceKeys.privateKeys['orders']!,
      },
    },
    {
      name: 'analytics',
      port: config.analyticsPort,
      env: {
        ...common,
        ...jwks,
        PORT: String(config.analyticsPort),
        DATABASE_URL: infra.analyticsDatabaseUrl,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      },
    },
    {
      name: 'notifications',
      port: config.notificationsPort,
      env: {
        ...common,
        ...jwks,
        PORT: String(config.notificationsPort),
        DATABASE_URL: infra.notificationsDatabaseUrl,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        USERS_URL: local(config.usersPort),
        SERVICE_PRIVATE_KEY: serviceKeys.privateKeys['notifications']!,
        SMTP_URL: infra.smtpUrl,
        STOREFRONT_URL: local(config.gatewayPort),
      },
    },
    {
      name: 'gateway',
      port: config.gatewayPort,
      env: {
        ...common,
        ...redis,
        ...jwks,
        PORT: String(config.gatewayPort),
        METRICS_PORT: String(config.gatewayMetricsPort),
        USERS_URL: local(config.usersPort),
        PRODUCTS_URL: local(config.productsPort),
        PAYMENTS_URL: local(config.paymentsPort),
        ORDERS_URL: local(config.ordersPort),
        ANALYTICS_URL: local(config.analyticsPort),
        NOTIFICATIONS_URL: local(config.notificationsPort),
        RATE_LIMIT_PER_MINUTE: config.rateLimitPerMinute,
        ASSETS_ORIGIN_URL: `${infra.s3.endpoint}/${config.imagesBucket}`,
      },
    },
  ];
}

function startAnalyticsJob(config: PlatformConfig, infra: Infrastructure, logDir: string, say: Say) {
  const job = startAnalytics(
    {
      brokers: infra.kafkaBrokers,
      storageUrl: config.analyticsStorageUrl ?? pathToFileURL(path.join(config.dataDir, 'analytics')).href,
      metricsPort: config.analyticsMetricsPort,
      restPort: config.analyticsRestPort,
      blobPort: config.analyticsBlobPort,
      checkpointIntervalMs: config.analyticsCheckpointMs,
      logFile: path.join(logDir, 'analytics.log'),
      onLine: (line) => {
        if (line.startsWith('[analytics]') || / ERROR /.test(line)) say(line); // Flink's warnings: the log file
      },
    },
    say,
  );
  job.catch(() => undefined); // awaited after the services; a failure then stops the start
  return job;
}

/** Starts the infrastructure, then the services side by side, and waits until each is ready. */
export async function startPlatform(config: PlatformConfig, say: Say): Promise<RunningPlatform> {
  const logDir = path.join(config.dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const infra = await startInfrastructure(config, say);
  const running: ServiceProcess[] = [];
  let analytics: Promise<AnalyticsHandle> | undefined;
  let fn: FunctionHandle | undefined;
  const stop = async () => {
    if (analytics && !running.some((p) => p.name === 'analytics-job'))
      await analytics.then(
        (j) => j.stop(),
        () => undefined,
      );
    // Services first (they drain requests and close pools), then the function, then the stores they used.
    await Promise.all(running.reverse().map((p) => p.stop()));
    await fn?.stop();
    await infra.stop();
  };
  try {
    const serviceKeys = await ensureServiceKeys(config.dataDir, SERVICE_CALLERS);
    const flags = await flagSettingsFor(config, say);
    const specs = serviceSpecs(config, infra, await ensureSigningKey(config.dataDir), serviceKeys, flags);
    const onImportant = (name: string, line: string) => say(`[${name}] ${line}`);
    // The Flink job starts beside the services (it takes half a minute); its state lines go to the console.
    analytics = config.analyticsJob === 'off' ? undefined : startAnalyticsJob(config, infra, logDir, say);
    // No service needs another to start (callees are looked up per request), so all start at once and
    // their start-up work (catalog seed, Kafka group joins, pool warm-up) overlaps instead of queueing.
    const began = Date.now();
    await Promise.all(
      specs.map(async (s) => {
        const proc = spawnService({
          name: s.name,
          script: path.join(repoRoot, `services/${s.name}/src/server.ts`),
          env: s.env,
          logFile: path.join(logDir, `${s.name}.log`),
          onImportant,
        });
        running.push(proc);
        // Side by side on a busy machine each takes longer than alone, hence more than the 60 s it had.
        await waitUntilReady(`http://127.0.0.1:${s.port}/ready`, 120_000, proc.exited);
        say(`${s.name} ready (pid ${proc.pid}) after ${((Date.now() - began) / 1000).toFixed(1)} s`);
      }),
    );
    if (analytics) {
      const job = await analytics;
      running.unshift({ name: 'analytics-job', pid: job.pid, stop: job.stop, exited: job.exited });
      say(`analytics job running (pid ${job.pid}, metrics ${job.metricsUrl}/metrics)`);
    }
    fn = await startProductImagesFunction({
      workDir: path.join(config.dataDir, 'lambda'),
      port: infra.lambdaPort,
      runtimeApiPort: infra.lambdaPort + 1,
      env: {
        PRODUCTS_URL: `http://127.0.0.1:${config.productsPort}`,
        SERVICE_PRIVATE_KEY: serviceKeys.privateKeys['product-images']!,
        S3_ENDPOINT: infra.s3.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: S3_LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3_LOCAL_CREDENTIALS.secretAccessKey,
      },
      logFile: path.join(logDir, 'product-images.log'),
      say,
    });
    say(`product-images function ready under the Lambda emulator at ${fn.invokeUrl} (pid ${fn.pid})`);
    const exits = [...running.map((p) => p.exited.then(() => p.name)), fn.exited.then(() => 'product-images')];
    return {
      urls: {
        ...Object.fromEntries(specs.map((s) => [s.name, `http://127.0.0.1:${s.port}`])),
        analyticsMetrics: `http://127.0.0.1:${config.analyticsMetricsPort}/metrics`,
        mailInbox: infra.mailInboxUrl,
        mailpit: infra.mailpitUrl,
        smtp: infra.smtpUrl,
        s3: infra.s3.endpoint,
        assets: assetsBaseUrlOf(config),
        lambdaInvoke: fn.invokeUrl,
        deadLetters: infra.s3.deadLetterDir,
      },
      pids: { ...Object.fromEntries(running.map((p) => [p.name, p.pid])), ...infra.pids, 'product-images': fn.pid },
      stop,
      firstExit: Promise.race(exits),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

const assetsBaseUrlOf = (config: PlatformConfig) => `http://127.0.0.1:${config.gatewayPort}/assets`;
