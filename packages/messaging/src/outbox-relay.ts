import { checkOut, Counter, Gauge, Histogram, sharedMetric, type Registry } from '@emporium/kit';
import pg from 'pg';
import type { LogLike } from './log.ts';
import type { EventProducer, OutgoingEvent } from './producer.ts';

/** Whether the session with backend pid $1 holds the advisory lock $2 (pg_advisory_lock(bigint) form). */
const LOCK_HELD = `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1
  AND classid = ($2::bigint >> 32)::oid AND objid = ($2::bigint & 4294967295)::oid AND objsubid = 1`;

export interface OutboxRelayOptions {
  databaseUrl: string;
  producer: EventProducer;
  registry: Registry;
  log: LogLike;
  batchSize?: number;
  /** Poll interval when no notification arrives (a notification is sent at every commit). */
  pollMs?: number;
  /** How long a notification waits before publishing, to batch commits that arrive together. */
  lingerMs?: number;
  /** Distinguishes the relays of different services that share a PostgreSQL server. */
  lockKey: number;
}

export interface OutboxRelay {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Publishes whatever is waiting now (tests, and shutdown). */
  drain(): Promise<number>;
}

function metricsOf(registry: Registry) {
  return {
    backlog: sharedMetric(
      registry,
      'emporium_outbox_backlog_events',
      () =>
        new Gauge({
          name: 'emporium_outbox_backlog_events',
          help: 'Events committed but not yet published',
          registers: [registry],
        }),
    ),
    lag: sharedMetric(
      registry,
      'emporium_outbox_publish_lag_seconds',
      () =>
        new Histogram({
          name: 'emporium_outbox_publish_lag_seconds',
          help: 'Time from commit to Kafka acknowledging the event',
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120],
          registers: [registry],
        }),
    ),
    published: sharedMetric(
      registry,
      'emporium_outbox_published_total',
      () =>
        new Counter({
          name: 'emporium_outbox_published_total',
          help: 'Events published from the outbox',
          registers: [registry],
        }),
    ),
    failures: sharedMetric(
      registry,
      'emporium_outbox_publish_failures_total',
      () =>
        new Counter({
          name: 'emporium_outbox_publish_failures_total',
          help: 'Failed publish attempts (retried)',
          registers: [registry],
        }),
    ),
    leader: sharedMetric(
      registry,
      'emporium_outbox_relay_leader',
      () =>
        new Gauge({
          name: 'emporium_outbox_relay_leader',
          help: '1 while this relay holds the outbox lock and publishes',
          registers: [registry],
        }),
    ),
  };
}

interface Row {
  id: string;
  topic: string;
  message_key: string;
  payload: OutgoingEvent['event'];
  created_at: Date;
}

/**
 * Publishes committed outbox rows to Kafka in commit order, then marks them. One relay per database
 * holds an advisory lock on its own LISTEN connection, so events about one order are never published out
 * of order by two replicas. The lock is a fence: every batch checks, inside its own transaction, that the
 * lock connection still holds it. A relay whose lock connection drops stops publishing, reconnects, and
 * publishes again only once it holds the lock again (another relay may have taken over meanwhile).
 * A crash between publish and mark republishes the same event_id, which consumers skip.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const m = metricsOf(options.registry);
  const batchSize = options.batchSize ?? 200;
  const lingerMs = options.lingerMs ?? 10;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  // An idle connection that drops is replaced at the next checkout; a failing query is reported by the loop.
  pool.on('error', () => undefined);
  let listener: pg.Client | undefined;
  let listenerPid = 0;
  let running = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let failures = 0;
  let leader = false;
  let stopped: Promise<void> | undefined;

  function loseLeadership(reason: string): void {
    if (leader) {
      const message = 'outbox relay lost its lock; publishing stops until it holds it again';
      options.log.warn({ reason, lock_key: options.lockKey }, message);
    }
    leader = false;
    m.leader.set(0);
  }

  function onListenerGone(client: pg.Client, reason: string): void {
    if (listener !== client) return;
    listener = undefined;
    loseLeadership(reason);
    wake?.();
  }

  /** The LISTEN connection, which also holds the lock; (re)connected whenever it is gone. */
  async function ensureListener(): Promise<pg.Client> {
    if (listener) return listener;
    const client = new pg.Client({ connectionString: options.databaseUrl });
    client.on('error', (err) => onListenerGone(client, err.message));
    client.on('end', () => onListenerGone(client, 'connection ended'));
    client.on('notification', () => {
      if (!failures) wake?.();
    });
    try {
      await client.connect();
      await client.query('LISTEN outbox');
      listenerPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    } catch (err) {
      await client.end().catch(() => undefined); // the connect error itself is what the caller reports
      throw err;
    }
    listener = client;
    return client;
  }

  async function tryLead(): Promise<boolean> {
    const client = await ensureListener();
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [options.lockKey]);
    if (rows[0]!.ok && listener === client) {
      leader = true;
      m.leader.set(1);
      options.log.warn({ lock_key: options.lockKey }, 'outbox relay holds the lock and publishes');
    }
    return leader;
  }

  async function publishBatch(): Promise<number> {
    if (!leader) return 0;
    const tx = await checkOut(pool);
    let broken = false;
    try {
      await tx.query('BEGIN');
      // The fence is part of the statement that picks the rows: every row it returns was committed while
      // our lock connection held the lock (a dropped connection has released it). FOR UPDATE without SKIP
      // LOCKED: a relay that has just taken over waits for a batch still in flight, rather than
      // publishing the rows behind it first.
      const { rows } = await tx.query<Row>(
        `SELECT id, topic, message_key, payload, created_at FROM outbox
           WHERE published_at IS NULL AND EXISTS (${LOCK_HELD}) ORDER BY id LIMIT $3 FOR UPDATE`,
        [listenerPid, options.lockKey, batchSize],
      );
      if (rows.length === 0) {
        const fence = await tx.query<{ held: boolean }>(`SELECT EXISTS (${LOCK_HELD}) AS held`, [
          listenerPid,
          options.lockKey,
        ]);
        const held = fence.rows[0]!.held;
        await tx.query('COMMIT');
        if (!held) loseLeadership('the lock is no longer held by this relay');
        return 0;
      }
      await options.producer.publish(rows.map((r) => ({ topic: r.topic, key: r.message_key, event: r.payload })));
      await tx.query('UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])', [
        rows.map((r) => r.id),
      ]);
      await tx.query('COMMIT');
      const now = Date.now();
      for (const r of rows) m.lag.observe((now - r.created_at.getTime()) / 1000);
      m.published.inc(rows.length);
      return rows.length;
    } catch (err) {
      // The publish error is rethrown; a connection that cannot even roll back is discarded.
      broken = await tx.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      throw err;
    } finally {
      tx.release(broken);
    }
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (let n = await publishBatch(); n > 0; n = await publishBatch()) total += n;
    return total;
  }

  let backlogCountedAt = 0;
  /** Counted at most once a second (under load the relay drains hundreds of times a second), and during an outage too. */
  async function countBacklog(): Promise<void> {
    if (Date.now() - backlogCountedAt < 1_000) return;
    backlogCountedAt = Date.now();
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    m.backlog.set(rows[0]!.n);
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        // Only the holder of the lock publishes; the others wait to take over.
        if (!leader) await tryLead();
        if (leader) {
          await drain();
          failures = 0;
        }
      } catch (err) {
        failures++;
        m.failures.inc();
        if (failures === 1 || failures % 20 === 0)
          options.log.warn({ err: (err as Error).message, failures }, 'outbox publish failed; will retry');
      }
      // The gauge keeps its last value when the count fails; the failure itself is reported above.
      if (leader) await countBacklog().catch(() => undefined);
      const wait = failures ? Math.min(5_000, 100 * 2 ** Math.min(failures, 6)) : (options.pollMs ?? 1_000);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        // A commit wakes the relay a moment later, so the events of commits close together share one send.
        wake = () => {
          wake = undefined;
          clearTimeout(t);
          setTimeout(resolve, lingerMs);
        };
      });
    }
  }

  return {
    async start() {
      await ensureListener();
      running = true;
      loop = run();
    },
    stop: () =>
      (stopped ??= (async () => {
        running = false;
        wake?.();
        await loop;
        const client = listener;
        listener = undefined;
        leader = false;
        m.leader.set(0);
        // Ending the session releases the lock; an error while closing changes nothing at shutdown.
        await client?.end().catch(() => undefined);
        await pool.end();
      })()),
    drain,
  };
}
