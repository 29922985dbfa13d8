import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { runMigrations } from './migrate.ts';
import { createTestDatabase } from './testing/index.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let dir: string;
before(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
});
after(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

async function tables(): Promise<string[]> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const { rows } = await c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  await c.end();
  return rows.map((r) => r.tablename);
}

test('applies numbered migrations once, in order', async () => {
  await writeFile(path.join(dir, '002_b.sql'), 'ALTER TABLE a ADD COLUMN note TEXT;');
  await writeFile(path.join(dir, '001_a.sql'), 'CREATE TABLE a (id INT);');
  assert.deepEqual((await runMigrations(db.url, dir)).applied, ['001_a.sql', '002_b.sql']);
  assert.deepEqual(await runMigrations(db.url, dir), { applied: [], skipped: 2 });
  assert.deepEqual(await tables(), ['a', 'schema_migrations']);
});

test('a failing migration throws, names itself and leaves nothing half-applied', async () => {
  await writeFile(path.join(dir, '003_c.sql'), 'CREATE TABLE c (id INT); SELECT no_such_function();');
  await assert.rejects(
    runMigrations(db.url, dir),
    /migration 003_c\.sql failed: function no_such_function\(\) does not exist/,
  );
  assert.ok(!(await tables()).includes('c'));
  await rm(path.join(dir, '003_c.sql'));
});

test('badly named or duplicate-numbered files are refused before anything runs', async () => {
  await writeFile(path.join(dir, 'add_stuff.sql'), 'CREATE TABLE stuff (id INT);');
  await assert.rejects(runMigrations(db.url, dir), /must be named NNN_name\.sql/);
  await rm(path.join(dir, 'add_stuff.sql'));
  await writeFile(path.join(dir, '002_again.sql'), 'CREATE TABLE again (id INT);');
  await assert.rejects(runMigrations(db.url, dir), /two migrations share the number 002/);
  await rm(path.join(dir, '002_again.sql'));
});

test('two runners at once apply each migration exactly once', async () => {
  await writeFile(path.join(dir, '004_d.sql'), 'CREATE TABLE d (id INT);');
  const [x, y] = await Promise.all([runMigrations(db.url, dir), runMigrations(db.url, dir)]);
  assert.deepEqual([...x.applied, ...y.applied], ['004_d.sql']);
});
