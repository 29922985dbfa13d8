import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export interface MigrationResult {
  applied: string[];
  skipped: number;
}

const NAME = /^(\d{3,})_[a-z0-9_]+\.sql$/;
// Any constant works; it only has to be the same for every runner of this database.
const LOCK_KEY = 727_001;

/**
 * Applies forward-only numbered migrations (`001_init.sql`, ...) once each, in order, each in its own
 * transaction, under an advisory lock so two runners never race. Throws on the first failure.
 */
export async function runMigrations(connectionString: string, dir: string): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const bad = files.filter((f) => !NAME.test(f));
  if (bad.length > 0) throw new Error(`migration files must be named NNN_name.sql: ${bad.join(', ')}`);
  const numbers = files.map((f) => f.split('_')[0]);
  const dup = numbers.find((n, i) => numbers.indexOf(n) !== i);
  if (dup) throw new Error(`two migrations share the number ${dup}`);

  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(path.join(dir, file), 'utf8');
      try {
        await client.query('BEGIN');
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined); // the migration's own error is thrown below
        throw new Error(`migration ${file} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(file);
    }
    return { applied, skipped: files.length - applied.length };
  } finally {
    // Ending the session below releases the lock anyway; an unlock that fails changes nothing.
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/** CLI body shared by every service's `migrate` script: exits non-zero on any failure. */
export async function migrateCli(service: string, readUrl: () => string, dir: string): Promise<void> {
  try {
    const result = await runMigrations(readUrl(), dir);
    console.log(
      `${service}: applied ${result.applied.length} migration(s)${result.applied.length ? ': ' + result.applied.join(', ') : ''}; ${result.skipped} already applied`,
    );
  } catch (err) {
    console.error(`${service}: ${(err as Error).message}`);
    process.exit(1);
  }
}
