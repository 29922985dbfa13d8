import pg from 'pg';
import type { LogLike } from '../log.ts';
import type { ResultRow } from '../results/result.ts';
import type { ResultRepository } from '../results/result-repository.ts';

const BATCH = 500;

interface Subscriber {
  sent: number;
  catchingUp: boolean;
  send(row: ResultRow): void;
}

export interface ResultFeed {
  /** Delivers every result stored after position `after` (only new ones when undefined), in order, once. */
  subscribe(after: number | undefined, send: (row: ResultRow) => void): Promise<() => void>;
  close(): Promise<void>;
}

/**
 * One LISTEN connection per process, woken by the results table's trigger at every commit, whichever
 * replica stored the result; each wake-up reads what is new once and hands it to every subscriber.
 */
export async function createResultFeed(options: {
  databaseUrl: string;
  results: ResultRepository;
  log: LogLike;
  /** How many past results a resuming client is sent at most; further behind, it gets the latest ones. */
  replayLimit?: number;
}): Promise<ResultFeed> {
  const { results, log } = options;
  const replayLimit = options.replayLimit ?? 1000;
  const subscribers = new Set<Subscriber>();
  let last = await results.lastSeq();
  let pumping: Promise<void> | undefined;
  let again = false;
  let closed = false;
  let listener: pg.Client | undefined;

  const deliver = (sub: Subscriber, row: ResultRow) => {
    if (row.seq <= sub.sent) return;
    sub.sent = row.seq;
    sub.send(row);
  };

  async function drain(): Promise<void> {
    for (;;) {
      const rows = await results.after(last, BATCH);
      for (const row of rows) {
        for (const sub of subscribers) if (!sub.catchingUp) deliver(sub, row);
        last = row.seq;
      }
      if (rows.length < BATCH) return;
    }
  }

  // One read at a time; a wake-up during a read makes it read once more.
  function pump(): void {
    if (pumping) {
      again = true;
      return;
    }
    pumping = drain()
      .catch((err) => log.error({ err }, 'reading new analytics results for the stream failed'))
      .finally(() => {
        pumping = undefined;
        if (again && !closed) {
          again = false;
          pump();
        }
      });
  }

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    client.on('notification', pump);
    client.on('error', (err) => {
      log.warn({ err: err.message }, 'the stream lost its LISTEN connection; reconnecting');
      listener = undefined;
      void client.end().catch(() => undefined); // already broken
      if (!closed) setTimeout(() => void listen().catch(retryLater), 1_000).unref();
    });
    await client.connect();
    await client.query('LISTEN analytics_results');
    listener = client;
    pump(); // whatever was stored while not listening
  }
  const retryLater = (err: Error) => {
    log.warn({ err: err.message }, 'the stream could not LISTEN; retrying');
    if (!closed) setTimeout(() => void listen().catch(retryLater), 1_000).unref();
  };
  await listen();

  return {
    async subscribe(after, send) {
      // Without a position, from what is committed now; a position past the newest (a client of a database
      // since reset) likewise; a position further back than the replay limit, from the limit.
      const newest = await results.lastSeq();
      let from = after === undefined ? newest : Math.min(after, newest);
      if (after !== undefined) from = Math.max(from, await results.seqBeforeLast(replayLimit));
      const sub: Subscriber = { sent: from, catchingUp: true, send };
      subscribers.add(sub);
      try {
        // Live rows wait while the past is read; the flag flips only once the reading has caught up with them.
        for (;;) {
          const rows = await results.after(sub.sent, BATCH);
          for (const row of rows) deliver(sub, row);
          if (rows.length === BATCH) continue;
          if (sub.sent >= last) break;
        }
        sub.catchingUp = false;
      } catch (err) {
        subscribers.delete(sub);
        throw err;
      }
      return () => void subscribers.delete(sub);
    },
    async close() {
      closed = true;
      subscribers.clear();
      await pumping;
      await listener?.end().catch(() => undefined); // closing anyway
    },
  };
}
