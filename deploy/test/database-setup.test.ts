// The chart's database setup Job (templates/database-setup.yaml), its script run for real: Debian's psql against
// a real PostgreSQL (platform/postgres.ts, a throwaway cluster on loopback), as the Job runs it on a fresh RDS.
// Run by `npm run check:deploy`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { stringify } from 'yaml';
import { startPostgres, type PostgresHandle } from '../../platform/postgres.ts';
import { deriveInfraValues } from '../scripts/infra-values.ts';
import { parseObjects, renderChart } from '../scripts/render.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const work = mkdtempSync(path.join(os.tmpdir(), 'emporium-dbsetup-'));
chmodSync(work, 0o755); // ours (mkdtemp made it 0700): PostgreSQL runs as its own user when we are root
const userlist = path.join(work, 'userlist.txt');
let server: PostgresHandle;
let job: Json;
const passwords: Record<string, string> = {};

/** The SCRAM-SHA-256 verifier PostgreSQL stores and pgbouncer's userlist.txt holds (RFC 5802/7677). */
function scramVerifier(password: string): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, 4096, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const stored = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const b64 = (b: Buffer) => b.toString('base64');
  return `SCRAM-SHA-256$4096:${b64(salt)}$${b64(stored)}:${b64(hmac(salted, 'Server Key'))}`;
}

/** The Job's container script and environment, pointed at the test server (no TLS on loopback). */
function runJob(): { status: number; out: string } {
  const c = job.spec.template.spec.containers[0];
  const script = (c.command[2] as string).replaceAll('/etc/pgbouncer/userlist/userlist.txt', userlist);
  const master = new URL(server.url('postgres'));
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  for (const e of c.env as Json[]) if (e.value !== undefined) env[e.name] = e.value;
  Object.assign(env, {
    PGHOST: '127.0.0.1',
    PGPORT: String(server.port),
    PGSSLMODE: 'disable',
    PGUSER: decodeURIComponent(master.username),
    PGPASSWORD: decodeURIComponent(master.password),
  });
  const r = spawnSync(c.command[0], [c.command[1], script], { env, encoding: 'utf8' });
  return { status: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

async function query(db: string, user: string, password: string, sql: string): Promise<Json[]> {
  const client = new pg.Client({ host: '127.0.0.1', port: server.port, database: db, user, password });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

before(async () => {
  const { values } = await deriveInfraValues('staging');
  const file = path.join(work, 'values-staging.infra.yaml');
  writeFileSync(file, stringify(values, { aliasDuplicateObjects: false }));
  job = parseObjects(renderChart('staging', [], [file])).find((o) => o.metadata.name === 'emporium-database-setup')!;
  assert.ok(job, 'the Job is rendered with helm_values');
  server = await startPostgres({ dataDir: path.join(work, 'pg'), port: 25432, portAttempts: 50, fast: true });
});

after(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

const databases = ['analytics', 'notifications', 'orders', 'payments', 'users'];

describe('the database setup Job on a fresh server', () => {
  it('refuses to start when pgbouncer has no SCRAM secret for a service, and creates nothing', async () => {
    writeFileSync(userlist, '"users" "md5abc"\n');
    const r = runJob();
    assert.notEqual(r.status, 0);
    assert.match(r.out, /userlist\.txt has no SCRAM-SHA-256 secret for analytics/);
    const master = new URL(server.url('postgres'));
    const rows = await query(
      'postgres',
      master.username,
      decodeURIComponent(master.password),
      'SELECT datname FROM pg_database',
    );
    assert.ok(!rows.some((r) => databases.includes(r['datname'])));
  });

  it('creates each service role and database, and the service logs in with its own password', async () => {
    const lines = databases.map((db) => {
      passwords[db] = randomBytes(12).toString('base64url');
      return `"${db}" "${scramVerifier(passwords[db])}"`;
    });
    writeFileSync(userlist, `${lines.join('\n')}\n`);
    const r = runJob();
    assert.equal(r.status, 0, r.out);
    for (const db of databases) {
      const [row] = await query(
        db,
        db,
        passwords[db]!,
        'SELECT current_user AS u, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()',
      );
      assert.deepEqual(row, { u: db, owner: db });
    }
  });

  it('runs again without touching what is there, and takes a new password', async () => {
    await query('orders', 'orders', passwords['orders']!, 'CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)');
    const old = passwords['orders']!;
    passwords['orders'] = randomBytes(12).toString('base64url');
    writeFileSync(userlist, `${databases.map((db) => `"${db}" "${scramVerifier(passwords[db]!)}"`).join('\n')}\n`);
    const r = runJob();
    assert.equal(r.status, 0, r.out);
    assert.deepEqual(await query('orders', 'orders', passwords['orders'], 'SELECT id FROM kept'), [{ id: 7 }]);
    await assert.rejects(query('orders', 'orders', old, 'SELECT 1'), /password authentication failed/);
  });
});
