import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

// Parse BIGINT/COUNT results as JS numbers: ids and counts here stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface DatabaseTimeouts {
  /** Waiting for a connection (a new one, or a free one from the pool). The design: service → database 10 s. */
  connectTimeoutMs: number;
  /** PostgreSQL's statement_timeout for every statement on the pool's connections. */
  statementTimeoutMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectTimeoutMs: 10_000, statementTimeoutMs: 10_000 };

/** `min` connections are opened at start and kept (see warmPool), so a burst does not wait on new handshakes. */
export function createPool(
  connectionString: string,
  max = 10,
  options: DatabaseTimeouts & { min?: number } = DEFAULT_DATABASE_TIMEOUTS,
): pg.Pool {
  const timeouts = options;
  const pool = new pg.Pool({
    connectionString,
    max,
    min: options.min ?? 0,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    statement_timeout: timeouts.statementTimeoutMs,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

const ignoreDrop = () => undefined;

/**
 * A client for a transaction. While a client is checked out, pg removes the pool's error listener, so a connection
 * lost between two queries (a database restart) would be an unhandled 'error' event and crash the process; with
 * this listener the next query fails instead, and the caller handles that.
 */
export async function checkOut(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  if (!client.listeners('error').includes(ignoreDrop)) client.on('error', ignoreDrop);
  return client;
}

export async function withTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await checkOut(pool);
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // The original error is what the caller needs; a connection that cannot even roll back is discarded.
    broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    throw err;
  } finally {
    client.release(broken);
  }
}

export const isUniqueViolation = (err: unknown, constraint?: string): boolean => {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
};

/** Opens the pool's `min` connections now rather than during the first burst of requests. */
export async function warmPool(pool: pg.Pool, count: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  for (const c of clients) c.release();
}

export async function pingDatabase(pool: pg.Pool): Promise<boolean> {
  await pool.query('SELECT 1');
  return true;
}
