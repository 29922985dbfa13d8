import os from 'node:os';
import { measure, printTable, printMemory } from './measure.ts';
import { settings, shiftPorts, startBenchStack } from './stack.ts';

// `npm run bench`: GET /api/users/:id through the gateway against a bare Fastify route, same machine, same run.
const { seconds, connections } = settings();
const stack = await startBenchStack();
try {
  const ports = shiftPorts({ users: 27001, gateway: 27000, bare: 27099 });
  const usersPid = await stack.service('users', 'services/users/src/server.ts', ports.users, {
    DATABASE_URL: stack.infra.usersDatabaseUrl,
    JWT_PRIVATE_KEY: stack.jwtKey,
  });
  const gatewayPid = await stack.service('gateway', 'services/gateway/src/server.ts', ports.gateway, {
    USERS_URL: `http://127.0.0.1:${ports.users}`,
    RATE_LIMIT_PER_MINUTE: '0',
    METRICS_PORT: String(ports.gateway + 500),
  });
  const barePid = await stack.bare(ports.bare);

  const gw = `http://127.0.0.1:${ports.gateway}`;
  const json = { 'content-type': 'application/json' };
  await fetch(`${gw}/api/users/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username: 'benchuser', email: 'bench@example.com', password: 'bench-password-1' }),
  });
  const login = (await (
    await fetch(`${gw}/api/users/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'benchuser', password: 'bench-password-1' }),
    })
  ).json()) as { access_token: string; user: { id: number } };
  const auth = { authorization: `Bearer ${login.access_token}` };

  console.log(`${connections} connections, ${seconds} s per path, Node ${process.version}, ${os.cpus().length} cores`);
  const baseline = await measure('bare Fastify JSON route', `http://127.0.0.1:${ports.bare}/bare/1`, {
    seconds,
    connections,
    pids: { bare: barePid },
  });
  const direct = await measure(
    'GET /api/users/:id on the users service',
    `http://127.0.0.1:${ports.users}/api/users/${login.user.id}`,
    { seconds, connections, headers: auth, pids: { users: usersPid } },
  );
  const through = await measure('GET /api/users/:id through the gateway', `${gw}/api/users/${login.user.id}`, {
    seconds,
    connections,
    headers: auth,
    pids: { gateway: gatewayPid, users: usersPid },
  });
  printTable([baseline, direct, through], baseline);
  await printMemory({ gateway: ports.gateway + 500, users: ports.users }); // the gateway's metrics port
} finally {
  await stack.stop();
}
