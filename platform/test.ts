import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from './config.ts';
import { startDynamo } from './dynamodb.ts';
import { startKafka } from './kafka.ts';
import { startMailpit } from './mailpit.ts';
import { startPostgres } from './postgres.ts';
import { ensureRedisServer, startRedis } from './redis.ts';
import { ensureRic, ensureRie } from './lambda.ts';
import { hasGo } from './go-tools.ts';
import { startStripeMock } from './stripe-mock.ts';
import { ensureWebBuild } from './web-build.ts';

// `npm test`: start the real infrastructure the suites need, run every suite with Node's runner, stop it all.
const patterns = [
  'packages/*/src/**/*.test.ts',
  'services/*/src/**/*.test.ts',
  'services/*/test/**/*.test.ts',
  'functions/*/src/**/*.test.ts',
  'platform/**/*.test.ts',
  // The Terraform read as JSON against the design's numbers and the services' own definitions (infra/README.md).
  'infra/test/**/*.test.ts',
  'e2e/checkout/**/*.test.ts',
  'e2e/gateway/**/*.test.ts',
  'e2e/analytics/**/*.test.ts',
  'analytics/test/**/*.test.ts',
  'e2e/notifications/**/*.test.ts',
  'e2e/images/**/*.test.ts',
  // The storefront and admin console in Debian's Chromium on the whole shop (docs/decisions/0019-web.md).
  'e2e/web/**/*.test.ts',
  // e2e/faults runs on its own (`npm run test:faults`, also in CI): each scenario loads the machine on purpose.
];
const only = process.argv.slice(2);

// The gateway serves web/dist in the suites too: built here, once, before any suite starts a gateway.
await ensureWebBuild();

const dataDir = await mkdtemp(path.join(tmpdir(), 'emporium-test-'));

// mkdtemp makes it 0700; the platform made it, so it may open it for the postgres user (run as root).

await chmod(dataDir, 0o755);
const postgres = await startPostgres({
  dataDir: path.join(dataDir, 'postgres'),
  port: 25432,
  portAttempts: 50,
  fast: true,
});
console.log(`test PostgreSQL on 127.0.0.1:${postgres.port} (pid ${postgres.pid})`);
const dynamo = await startDynamo({ port: 28000, portAttempts: 50 });
// A real broker, started alongside the other stores while they come up (the JVM takes a few seconds).
const kafka = await startKafka({ dataDir: path.join(dataDir, 'kafka'), port: 29092, portAttempts: 20 });
console.log(`test Kafka broker at ${kafka.brokers.join(',')} (pid ${kafka.pid})`);
console.log(`test DynamoDB API (dynalite, in memory) at ${dynamo.endpoint}`);
// Real Redis for the cache and rate-limit suites: installed first if missing (as `npm start` does).
ensureRedisServer((line) => console.log(line));
const redis = await startRedis({ dataDir: path.join(dataDir, 'redis'), port: 26379, portAttempts: 50 });
console.log(`test Redis at ${redis.url} (pid ${redis.pid})`);
// A Stripe-compatible API for the Stripe provider's tests (CI installs Go; the first build takes a minute).
const stripeMock = (await hasGo()) ? await startStripeMock() : undefined;
console.log(
  stripeMock
    ? `test stripe-mock at ${stripeMock.url} (pid ${stripeMock.pid})`
    : 'go not installed: Stripe provider tests will be skipped',
);

// A real SMTP server with an inbox API for the mail suites; built with Go like stripe-mock (once).
const mailpit = (await hasGo())
  ? await startMailpit({
      dataDir: path.join(dataDir, 'mailpit'),
      smtpPort: 23025,
      httpPort: 23825,
      portAttempts: 50,
      say: (line) => console.log(line),
    })
  : undefined;
console.log(
  mailpit
    ? `test Mailpit: SMTP at ${mailpit.smtpUrl}, API at ${mailpit.url} (pid ${mailpit.pid})`
    : 'go not installed: mail tests will be skipped',
);

// The Lambda emulator and the Node runtime interface client for the image function's suites, built once
// into .cache/ before any suite runs (the client compiles native code: about 4 minutes the first time).
const lambdaTools = (await hasGo())
  ? { rie: await ensureRie((line) => console.log(line)), ric: await ensureRic((line) => console.log(line)) }
  : undefined;
console.log(
  lambdaTools ? 'Lambda emulator and runtime client ready' : 'go not installed: image e2e tests will be skipped',
);

let child: ReturnType<typeof spawn> | undefined;
const cleanup = async () => {
  await mailpit?.stop();
  await stripeMock?.stop();
  await kafka.stop();
  await redis?.stop();
  await dynamo.stop();
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    child?.kill(signal);
  });
}

const code = await new Promise<number>((resolve) => {
  child = spawn(
    process.execPath,
    ['--test', '--test-concurrency=2', '--test-timeout=120000', ...(only.length ? only : patterns)],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        EMPORIUM_TEST_PG_URL: postgres.url('postgres'),
        EMPORIUM_TEST_RUN_PG_URL: postgres.url('postgres'),
        ...(redis ? { EMPORIUM_TEST_REDIS_URL: redis.url } : {}),
        EMPORIUM_TEST_DYNAMODB_ENDPOINT: dynamo.endpoint,
        EMPORIUM_TEST_KAFKA_BROKERS: kafka.brokers.join(','),
        ...(stripeMock ? { EMPORIUM_TEST_STRIPE_URL: stripeMock.url } : {}),
        ...(mailpit ? { EMPORIUM_TEST_SMTP_URL: mailpit.smtpUrl, EMPORIUM_TEST_MAILPIT_URL: mailpit.url } : {}),
        NODE_ENV: 'test',
      },
    },
  );
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});
await cleanup();
process.exit(code);
