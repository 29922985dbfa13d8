import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { createTestDatabase } from '@emporium/kit/testing';
import pg from 'pg';
import { OUTBOX_DDL } from './outbox.ts';

// The outbox is written by OUTBOX_DDL here and copied into each publishing service's migrations; the
// relay and `outboxInsert` rely on them being the same table. This compares what PostgreSQL ends up with.
const servicesDir = path.resolve(import.meta.dirname, '../../../services');
const skip = process.env['EMPORIUM_TEST_PG_URL'] ? false : 'no test PostgreSQL (run with npm test)';

async function describeOutbox(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows;
    return {
      columns: await q(`SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'outbox' ORDER BY ordinal_position`),
      indexes: await q(`SELECT indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename = 'outbox' ORDER BY indexname`),
      constraints: await q(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = 'public.outbox'::regclass ORDER BY conname`),
      triggers: await q(`SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger
        WHERE tgrelid = 'public.outbox'::regclass AND NOT tgisinternal ORDER BY tgname`),
      functions: await q(`SELECT proname, regexp_replace(prosrc, '\\s+', ' ', 'g') AS src FROM pg_proc
        WHERE proname = 'outbox_notify'`),
    };
  } finally {
    await c.end();
  }
}

/** Services whose migrations create the outbox. */
async function publishingServices(): Promise<string[]> {
  const found: string[] = [];
  for (const service of (await readdir(servicesDir)).sort()) {
    const dir = path.join(servicesDir, service, 'migrations');
    const files = await readdir(dir).catch(() => [] as string[]); // a service without migrations has no outbox
    for (const f of files) {
      if (/CREATE TABLE( IF NOT EXISTS)? outbox\b/.test(await readFile(path.join(dir, f), 'utf8'))) found.push(service);
    }
  }
  return [...new Set(found)];
}

test("each service's migrated outbox is the messaging package's OUTBOX_DDL", { skip }, async () => {
  const services = await publishingServices();
  assert.ok(services.includes('orders') && services.includes('payments'), `found ${services.join(', ')}`);
  const reference = await createTestDatabase();
  try {
    const c = new pg.Client({ connectionString: reference.url });
    await c.connect();
    await c.query(OUTBOX_DDL);
    await c.end();
    const expected = await describeOutbox(reference.url);
    assert.equal(expected.columns.length, 8);
    for (const service of services) {
      const db = await createTestDatabase(path.join(servicesDir, service, 'migrations'));
      try {
        assert.deepEqual(await describeOutbox(db.url), expected, `the outbox of ${service} differs from OUTBOX_DDL`);
      } finally {
        await db.drop();
      }
    }
  } finally {
    await reference.drop();
  }
});
