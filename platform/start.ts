import { isProduction, readConfigOrExit } from '@emporium/kit';
import { readPlatformConfig } from './config.ts';
import { startPlatform, type RunningPlatform } from './platform.ts';
import { ensureWebBuild } from './web-build.ts';

const say = (line: string) => console.log(`[emporium] ${line}`);

const config = readConfigOrExit(readPlatformConfig);

let stopping = false;
// Filled once everything is up; signals during start-up are remembered until then.
const started: { platform?: RunningPlatform } = {};
let stopRequested: string | undefined;

const shutdown = async (why: string) => {
  const platform = started.platform;
  if (!platform) {
    stopRequested = why;
    return;
  }
  if (stopping) return;
  stopping = true;
  say(`${why}: stopping…`);
  setTimeout(() => {
    console.error('[emporium] stopping took over 60 s; exiting anyway');
    process.exit(1);
  }, 60_000).unref();
  await platform.stop();
  say('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('Ctrl-C'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

// The gateway serves web/dist; a missing or stale build is made first (a few seconds).
await ensureWebBuild(say).catch((err: Error) => {
  console.error(`[emporium] web UI build failed: ${err.message}`);
  process.exit(1);
});
const platform = await startPlatform(config, say).catch((err: Error) => {
  console.error(`[emporium] start failed: ${err.message}`);
  process.exit(1);
});
started.platform = platform;
if (stopRequested) await shutdown(stopRequested);
void platform.firstExit.then((name) => {
  if (!stopping) {
    console.error(`[emporium] ${name} exited unexpectedly; see ${config.dataDir}/logs/${name}.log`);
    void platform.stop().then(() => process.exit(1));
  }
});

const flagFile = isProduction(config) ? 'off (production)' : `${config.dataDir}/flags.json (docs/failure-flags.md)`;
console.log(`
Emporium is running.
  Storefront          ${platform.urls['gateway']}/
  Admin console       ${platform.urls['gateway']}/admin (sign in as the admin below)
  Shop API (gateway)  ${platform.urls['gateway']}
  API docs            ${platform.urls['gateway']}/docs
  Users service       ${platform.urls['users']}
  Products service    ${platform.urls['products']}
  Orders service      ${platform.urls['orders']}
  Payments service    ${platform.urls['payments']}
  Analytics API       ${platform.urls['analytics']} (admins, through the gateway: /api/analytics/windows/latest)
  Notifications       ${platform.urls['notifications']} (email to the inbox below; SMS and push recorded, not sent, without provider keys)
  Catalog             ${platform.urls['gateway']}/api/products?limit=5
  Mail inbox          ${platform.urls['mailInbox']} (every mail the platform sends; Mailpit's API at ${platform.urls['mailpit']}/api/v1/)
  SMTP                ${platform.urls['smtp']} (Mailpit; mail sent here lands in the inbox above)
  Analytics job       ${config.analyticsJob === 'off' ? 'off (EMPORIUM_ANALYTICS_JOB=off)' : `${platform.urls['analyticsMetrics']} (Flink; its state every 30 s here and in logs/analytics.log)`}
  S3 API (images)     ${platform.urls['s3']}/${config.imagesBucket} (s3rver; uploads/ notifies the function)
  Product images      ${platform.urls['assets']}/products/... (derived WebP, served by the gateway)
  Image function      ${platform.urls['lambdaInvoke']} (Lambda emulator; dead letters in ${platform.urls['deadLetters']})
  Metrics             http://127.0.0.1:${config.gatewayMetricsPort}/metrics (gateway; never on its public port)
                      and /metrics on every service's own port
  Admin login         ${config.adminEmail} (password from ADMIN_PASSWORD)
  Logs                ${config.dataDir}/logs/
  Failure flags       ${flagFile}
Press Ctrl-C to stop.
`);
say(`pids ${JSON.stringify(platform.pids)}`);
