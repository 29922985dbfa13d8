import os from 'node:os';
import { measure, printMemory, printTable } from './measure.ts';
import { settings, shiftPorts, startBenchStack } from './stack.ts';

// `npm run bench:products`: product reads through the gateway, cached (Redis) and uncached, against a bare route.
const { seconds, connections } = settings();
const stack = await startBenchStack();
try {
  const ports = shiftPorts({
    users: 27101,
    cached: 27102,
    uncached: 27112,
    gateway: 27100,
    gatewayUncached: 27110,
    bare: 27199,
  });
  await stack.service('users', 'services/users/src/server.ts', ports.users, {
    DATABASE_URL: stack.infra.usersDatabaseUrl,
    JWT_PRIVATE_KEY: stack.jwtKey,
  });
  const common = {
    DYNAMODB_ENDPOINT: stack.infra.dynamodbEndpoint,
    JWKS_URL: `http://127.0.0.1:${ports.users}/.well-known/jwks.json`,
  };
  const cachedPid = await stack.service('products', 'services/products/src/server.ts', ports.cached, {
    ...common,
    SEED_DEMO_CATALOG: 'true',
    ...(stack.infra.redisUrl ? { REDIS_URL: stack.infra.redisUrl } : {}),
  });
  const uncachedPid = await stack.service('products-uncached', 'services/products/src/server.ts', ports.uncached, {
    ...common,
    PRODUCT_CACHE: 'off',
  });
  const gateway = (port: number, products: number) =>
    stack.service(`gateway-${port}`, 'services/gateway/src/server.ts', port, {
      USERS_URL: `http://127.0.0.1:${ports.users}`,
      PRODUCTS_URL: `http://127.0.0.1:${products}`,
      RATE_LIMIT_PER_MINUTE: '0',
      METRICS_PORT: String(port + 500),
    });
  const gatewayPid = await gateway(ports.gateway, ports.cached);
  const gatewayUncachedPid = await gateway(ports.gatewayUncached, ports.uncached);
  const barePid = await stack.bare(ports.bare);

  console.log(
    `${connections} connections, ${seconds} s per path, Node ${process.version}, ${os.cpus().length} cores, cache: ${stack.infra.redisUrl ? 'Redis' : 'in-process (no redis-server)'}`,
  );
  const baseline = await measure('bare Fastify JSON route', `http://127.0.0.1:${ports.bare}/bare/1`, {
    seconds,
    connections,
    pids: { bare: barePid },
  });
  const cached = await measure(
    'GET /api/products/:id through the gateway, cached',
    `http://127.0.0.1:${ports.gateway}/api/products/42`,
    { seconds, connections, pids: { gateway: gatewayPid, products: cachedPid } },
  );
  const uncached = await measure(
    'GET /api/products/:id through the gateway, uncached',
    `http://127.0.0.1:${ports.gatewayUncached}/api/products/42`,
    { seconds, connections, pids: { gateway: gatewayUncachedPid, products: uncachedPid } },
  );
  const listing = await measure(
    'GET /api/products?category=Books&limit=20 through the gateway, cached',
    `http://127.0.0.1:${ports.gateway}/api/products?category=Books&limit=20`,
    { seconds, connections, pids: { gateway: gatewayPid, products: cachedPid } },
  );
  const listingUncached = await measure(
    'GET /api/products?category=Books&limit=20 through the gateway, uncached',
    `http://127.0.0.1:${ports.gatewayUncached}/api/products?category=Books&limit=20`,
    { seconds, connections, pids: { gateway: gatewayUncachedPid, products: uncachedPid } },
  );
  printTable([baseline, cached, uncached, listing, listingUncached], baseline);
  await printMemory({ gateway: ports.gateway + 500, products: ports.cached }); // the gateway's metrics port
} finally {
  await stack.stop();
}
