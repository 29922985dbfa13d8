import type { AnalyticsResult } from '@emporium/events';
import { Counter, Histogram, sharedMetric, type PoolClient, type Registry } from '@emporium/kit';
import { compareResult, toStored, type ResultRow } from './result.ts';
import type { ResultRepository } from './result-repository.ts';

interface Deps {
  results: ResultRepository;
  registry: Registry;
  log: { warn(obj: object, msg: string): void };
  clock?: () => number;
}

export type Outcome = 'stored' | 'unchanged' | 'revised';

function metricsOf(registry: Registry) {
  return {
    results: sharedMetric(
      registry,
      'emporium_analytics_results_total',
      () =>
        new Counter({
          name: 'emporium_analytics_results_total',
          help: 'Results consumed from analytics-results, by type and outcome (stored, unchanged, revised)',
          labelNames: ['result_type', 'outcome'],
          registers: [registry],
        }),
    ),
    visible: sharedMetric(
      registry,
      'emporium_analytics_result_visible_seconds',
      () =>
        new Histogram({
          name: 'emporium_analytics_result_visible_seconds',
          help: "From a window's end to its result being stored here (the watermark's wait included)",
          labelNames: ['result_type'],
          buckets: [1, 5, 15, 30, 45, 60, 90, 120, 300, 600],
          registers: [registry],
        }),
    ),
  };
}

/** Storing what the Flink job published: once per key, a different result for the same key as a revision. */
export function createResultService({ results, registry, log, clock = Date.now }: Deps) {
  const m = metricsOf(registry);
  return {
    /** Runs inside the consumer's transaction, so the result and the offset move on together. */
    async ingest(result: AnalyticsResult, tx: PoolClient): Promise<{ outcome: Outcome; row?: ResultRow }> {
      const stored = toStored(result);
      await results.lockFeed(tx);
      const existing = await results.find(stored, tx);
      const change = compareResult(existing, stored);
      let outcome: Outcome = 'unchanged';
      let row: ResultRow | undefined;
      if (change === 'new') {
        row = await results.insert(stored, tx);
        outcome = 'stored';
        m.visible.observe(
          { result_type: stored.resultType },
          Math.max(0, clock() - Date.parse(stored.windowEnd)) / 1000,
        );
      } else if (change === 'revised') {
        row = await results.revise(existing!.id, stored, tx);
        outcome = 'revised';
        log.warn(
          {
            result_type: stored.resultType,
            window_start: stored.windowStart,
            item: stored.itemKey,
            was: existing!.payload,
            now: stored.payload,
            revision: row.revision,
          },
          'a different result for a stored key replaced it (a re-run of the window)',
        );
      }
      m.results.inc({ result_type: stored.resultType, outcome });
      return { outcome, ...(row ? { row } : {}) };
    },
  };
}

export type ResultService = ReturnType<typeof createResultService>;
