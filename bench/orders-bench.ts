import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { repoRoot } from '../platform/config.ts';
import { cpuTotals, printCpu, printMemory, printRouteTimes, printTable, routeTotals, type Result } from './measure.ts';
import { settings, shiftPorts, startBenchStack } from './stack.ts';

// `npm run bench:orders`: the full place-order path through the gateway (Kafka on) against the bare
// single-service order transaction, same machine, same run; plus commit → Kafka lag from the outbox.
const { seconds, connections } = settings();
const stack = await startBenchStack();
const local = (port: number) => `http://127.0.0.1:${port}`;
try {
  const p = shiftPorts({ users: 27201, products: 27202, orders: 27203, payments: 27205, gateway: 27200, bare: 27299 });
  const kafka = stack.infra.kafkaBrokers.join(',');
  const jwks = { JWKS_URL: `${local(p.users)}/.well-known/jwks.json` };
  const usersPid = await stack.service('users', 'services/users/src/server.ts', p.users, {
    DATABASE_URL: stack.infra.usersDatabaseUrl,
    JWT_PRIVATE_KEY: stack.jwtKey,
    ADMIN_EMAIL: 'admin@bench.local',
    ADMIN_PASSWORD: 'bench-admin-1',
  });
  const productsPid = await stack.service('products', 'services/products/src/server.ts', p.products, {
    ...jwks,
    DYNAMODB_ENDPOINT: stack.infra.dynamodbEndpoint,
    ...(stack.infra.redisUrl ? { REDIS_URL: stack.infra.redisUrl } : {}),
  });
  const paymentsPid = await stack.service('payments', 'services/payments/src/server.ts', p.payments, {
    ...jwks,
    DATABASE_URL: stack.infra.paymentsDatabaseUrl,
    KAFKA_BROKERS: kafka,
  });
  const ordersPid = await stack.service('orders', 'services/orders/src/server.ts', p.orders, {
    ...jwks,
    DATABASE_URL: stack.infra.ordersDatabaseUrl,
    KAFKA_BROKERS: kafka,
    PRODUCTS_URL: local(p.products),
    PAYMENTS_URL: local(p.payments),
  });
  const gatewayPid = await stack.service('gateway', 'services/gateway/src/server.ts', p.gateway, {
    ...jwks,
    USERS_URL: local(p.users),
    PRODUCTS_URL: local(p.products),
    ORDERS_URL: local(p.orders),
    PAYMENTS_URL: local(p.payments),
    RATE_LIMIT_PER_MINUTE: '0',
    METRICS_PORT: String(p.gateway + 500),
  });

  const gw = local(p.gateway);
  const post = async (url: string, body: unknown, headers: Record<string, string> = {}) =>
    (await (
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      })
    ).json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const admin = {
    authorization: `Bearer ${(await post(`${gw}/api/users/login`, { email: 'admin@bench.local', password: 'bench-admin-1' }))['access_token']}`,
  };
  // Many products with deep stock, so the run measures checkout rather than one hot item.
  const productIds: number[] = [];
  for (let i = 0; i < 100; i++)
    productIds.push(
      (
        await post(
          `${gw}/api/products`,
          { name: `Bench item ${i}`, price: 9.99, category: 'Bench', stock_quantity: 100_000_000, sku: `BENCH-${i}` },
          admin,
        )
      )['id'],
    );
  await post(`${gw}/api/users/register`, {
    username: 'benchbuyer',
    email: 'buyer@bench.local',
    password: 'bench-password-1',
  });
  const buyer = `Bearer ${(await post(`${gw}/api/users/login`, { username: 'benchbuyer', password: 'bench-password-1' }))['access_token']}`;

  const bareChild = spawn(
    process.execPath,
    [path.join(repoRoot, 'bench/bare-order-server.ts'), String(p.bare), stack.infra.ordersDatabaseUrl],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((r) => createInterface({ input: bareChild.stdout }).once('line', () => r()));

  const servicePorts = { gateway: p.gateway + 500, orders: p.orders, products: p.products, payments: p.payments };
  const run = async (
    name: string,
    url: string,
    body: () => string,
    headers: Record<string, string>,
    pids: Record<string, number>,
    ports: Record<string, number>,
  ): Promise<Result> => {
    const requests: autocannon.Request[] = [{ setupRequest: (req) => ({ ...req, body: body() }) }];
    const opts = {
      url,
      method: 'POST' as const,
      connections,
      headers: { 'content-type': 'application/json', ...headers },
      requests,
    };
    await autocannon({ ...opts, duration: Number(process.env['BENCH_WARMUP_SECONDS'] ?? 4) });
    const [routes0, cpu0, t0] = [await routeTotals(ports), await cpuTotals(), performance.now()];
    const r = await autocannon({ ...opts, duration: seconds });
    const [routes1, cpu1, t1] = [await routeTotals(ports), await cpuTotals(), performance.now()];
    console.log(`\n${name}: ${Math.round(r.requests.average)} req/s`);
    printCpu(cpu0, cpu1, (t1 - t0) / 1000, { ...pids, ...stack.infra.pids, autocannon: process.pid });
    printRouteTimes(routes0, routes1);
    return {
      name,
      rps: Math.round(r.requests.average),
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      rssMb: {},
    };
  };
  let n = 0;
  const orderBody = () =>
    JSON.stringify({
      items: [{ product_id: productIds[n++ % productIds.length], quantity: 1 }],
      shipping_address: { line1: '1 Bench Road', city: 'Leeds', country: 'GB' },
    });

  console.log(`${connections} connections, ${seconds} s per path, Node ${process.version}, ${os.cpus().length} cores`);
  const bare = await run(
    'bare order transaction (one service, one commit)',
    `${local(p.bare)}/bare/orders`,
    () => '{}',
    {},
    { bare: bareChild.pid! },
    {},
  );
  const full = await run(
    'POST /api/orders through the gateway (reserve, commit, pay, confirm; Kafka on)',
    `${gw}/api/orders`,
    orderBody,
    { authorization: buyer },
    { gateway: gatewayPid, orders: ordersPid, products: productsPid, payments: paymentsPid, users: usersPid },
    servicePorts,
  );
  bareChild.kill('SIGTERM');
  printTable([bare, full], bare);

  await new Promise((r) => setTimeout(r, 3_000)); // let the relays drain
  const metrics = await (await fetch(`${local(p.orders)}/metrics`)).text();
  const buckets = [...metrics.matchAll(/^emporium_outbox_publish_lag_seconds_bucket\{le="([^"]+)"[^}]*\} (\d+)/gm)].map(
    (m) => ({ le: m[1]!, count: Number(m[2]) }),
  );
  const total = buckets.at(-1)?.count ?? 0;
  const p99 = buckets.find((b) => b.count >= total * 0.99)?.le;
  const p50 = buckets.find((b) => b.count >= total * 0.5)?.le;
  console.log(
    `\ncommit → Kafka acknowledged (orders outbox, ${total} events): p50 ≤ ${p50} s, p99 ≤ ${p99} s (histogram bucket bounds)`,
  );
  await printMemory(servicePorts);
} finally {
  await stack.stop();
}
