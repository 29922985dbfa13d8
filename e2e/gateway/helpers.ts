import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { captureLogs } from '@emporium/kit/testing';
import type { Redis } from 'ioredis';
import { startUsers } from '../../services/users/test/helpers.ts';
import { buildApp } from '../../services/gateway/src/app.ts';
import { readConfig } from '../../services/gateway/src/config.ts';

export const addressOf = (app: FastifyInstance) => `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

/**
 * Sends the path exactly as given: fetch (WHATWG URL) would resolve `..` before sending, so a traversal
 * test through it could never reach the server with one.
 */
type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

export function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise<RawResponse>((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A real users service and a gateway in front of it, both listening on loopback. */
export async function startStack(gatewayEnv: Record<string, string> = {}, deps: { redis?: Redis } = {}) {
  const users = await startUsers({ ADMIN_EMAIL: 'root@example.com' });
  await users.app.listen({ port: 0, host: '127.0.0.1' });
  const logs = captureLogs();
  const gateway = await buildApp(
    readConfig({ USERS_URL: addressOf(users.app), RATE_LIMIT_PER_MINUTE: '0', ...gatewayEnv }),
    { logStream: logs.stream, ...deps },
  );
  await gateway.listen({ port: 0, host: '127.0.0.1' });
  const base = addressOf(gateway);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  const signUp = async (name: string) => {
    const reg = await call('POST', '/api/users/register', {
      username: name,
      email: `${name}@example.com`,
      password: 'a-good-password',
    });
    if (reg.status !== 201) throw new Error(`register: ${reg.status} ${reg.text}`);
    const res = await call('POST', '/api/users/login', { username: name, password: 'a-good-password' });
    return {
      id: res.json.user.id as number,
      access: res.json.access_token as string,
      auth: { authorization: `Bearer ${res.json.access_token}` },
    };
  };
  return {
    users,
    gateway,
    base,
    logs,
    call,
    signUp,
    async close() {
      await gateway.close();
      await users.close();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
