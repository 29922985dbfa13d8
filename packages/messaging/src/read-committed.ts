import { IS_CONTROL, type Consumer } from '@platformatic/kafka';

interface Batch {
  attributes: number;
  producerId: bigint;
  firstOffset: bigint;
}
interface FetchResponse {
  responses: Array<{
    partitions: Array<{
      abortedTransactions: Array<{ producerId: bigint; firstOffset: bigint }> | null;
      records?: Batch[] | null;
    }>;
  }>;
}

/**
 * Drops what @platformatic/kafka 2.12.1 lets through under read_committed: the batches of a transaction
 * the broker lists as aborted whose abort marker is not in the same fetch answer (the library keeps
 * such "open" ranges; the Java client drops them). A producer has one transaction open at a time, so its
 * batches from the aborted transaction's first offset up to a marker belong to it. Control batches stay:
 * the message stream counts offsets with them. Seen on the real broker as an aborted result stored.
 */
export function dropAbortedBatches(response: FetchResponse): void {
  for (const topic of response.responses) {
    for (const partition of topic.partitions) {
      if (!partition.records || !partition.abortedTransactions?.length) continue;
      const openFrom = new Map<bigint, bigint>();
      for (const a of partition.abortedTransactions) openFrom.set(a.producerId, a.firstOffset);
      const kept: Batch[] = [];
      for (const batch of partition.records) {
        const from = openFrom.get(batch.producerId);
        if (batch.attributes & IS_CONTROL) {
          if (from !== undefined && batch.firstOffset >= from) openFrom.delete(batch.producerId); // its marker
          kept.push(batch);
        } else if (from === undefined || batch.firstOffset < from) {
          kept.push(batch);
        }
      }
      partition.records = kept as typeof partition.records;
    }
  }
}

/** Applies dropAbortedBatches to every fetch answer of this consumer (its message stream fetches through it). */
export function guardAbortedTransactions(consumer: Consumer<string, string, string, string>): void {
  const fetch = consumer.fetch.bind(consumer) as (options: unknown, callback?: unknown) => unknown;
  (consumer as unknown as { fetch: typeof fetch }).fetch = (options, callback) => {
    if (typeof callback !== 'function') return fetch(options, callback);
    return fetch(options, (error: unknown, response: FetchResponse | undefined) => {
      if (!error && response) dropAbortedBatches(response);
      (callback as (e: unknown, r: unknown) => void)(error, response);
    });
  };
}
