import type { Queryable } from '@emporium/kit';
import type { ResultRow, StoredResult } from './result.ts';

const COLUMNS = 'id, result_type, window_start, window_end, item_key, payload, revision, seq, received_at';
// Any constant works; every writer of this database takes the same one.
const FEED_LOCK = 5006;

export function createResultRepository(db: Queryable) {
  return {
    /**
     * Writers take turns until they commit, so the stream position (`seq`) grows in commit order and a
     * reader that has seen position n never misses a smaller one committed later.
     */
    async lockFeed(tx: Queryable): Promise<void> {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]);
    },

    async find(r: StoredResult, tx: Queryable = db): Promise<ResultRow | undefined> {
      const { rows } = await tx.query<ResultRow>(
        `SELECT ${COLUMNS} FROM analytics_results WHERE result_type = $1 AND window_start = $2 AND item_key = $3`,
        [r.resultType, r.windowStart, r.itemKey],
      );
      return rows[0];
    },

    async insert(r: StoredResult, tx: Queryable): Promise<ResultRow> {
      const { rows } = await tx.query<ResultRow>(
        `INSERT INTO analytics_results (result_type, window_start, window_end, item_key, payload, seq)
         VALUES ($1, $2, $3, $4, $5, nextval('analytics_feed_seq')) RETURNING ${COLUMNS}`,
        [r.resultType, r.windowStart, r.windowEnd, r.itemKey, JSON.stringify(r.payload)],
      );
      return rows[0]!;
    },

    /** Replaces a stored result with a revision, keeping what it replaced, in one statement. */
    async revise(id: number, r: StoredResult, tx: Queryable): Promise<ResultRow> {
      const { rows } = await tx.query<ResultRow>(
        `WITH old AS (
           INSERT INTO analytics_result_revisions (result_id, revision, window_end, payload, received_at)
           SELECT id, revision, window_end, payload, received_at FROM analytics_results WHERE id = $1)
         UPDATE analytics_results
         SET window_end = $2, payload = $3, revision = revision + 1, seq = nextval('analytics_feed_seq'),
             received_at = now(), updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, r.windowEnd, JSON.stringify(r.payload)],
      );
      return rows[0]!;
    },

    /** The stream: what was stored or revised after position `seq`, in order. */
    async after(seq: number, limit: number): Promise<ResultRow[]> {
      const { rows } = await db.query<ResultRow>(
        `SELECT ${COLUMNS} FROM analytics_results WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [seq, limit],
      );
      return rows;
    },

    /** The position behind the latest `count` results (0 when there are fewer). */
    async seqBeforeLast(count: number): Promise<number> {
      const { rows } = await db.query<{ seq: number }>(
        'SELECT seq FROM analytics_results ORDER BY seq DESC OFFSET $1 LIMIT 1',
        [count],
      );
      return rows[0]?.seq ?? 0;
    },

    async lastSeq(): Promise<number> {
      const { rows } = await db.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM analytics_results');
      return rows[0]?.seq ?? 0;
    },
  };
}

export type ResultRepository = ReturnType<typeof createResultRepository>;
