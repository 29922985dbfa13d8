/** What the runner needs of a consumed message. */
export interface RunnableMessage {
  topic: string;
  partition: number;
  key: string;
  offset: bigint;
  commit(): Promise<void> | void;
}

/**
 * Runs the work for up to `concurrency` messages at once: messages with one key (one order) one after
 * another, in offset order, so each key keeps its order; different keys side by side, across partitions
 * too. A partition's offset is committed only up to the last message before which every message of that
 * partition was handled, so a crash redelivers the unfinished ones and nothing is skipped.
 * After a failure nothing more starts and nothing past the failed message is committed.
 */
export function createKeyedRunner<M extends RunnableMessage>(options: {
  concurrency: number;
  run: (message: M) => Promise<void>;
  onCommitError: (err: unknown) => void;
}) {
  const chains = new Map<string, Promise<void>>();
  const partitions = new Map<string, Array<{ message: M; done: boolean }>>();
  const commits = new Set<Promise<void>>();
  let inFlight = 0;
  let freed: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  let closed = false;

  function advance(queue: Array<{ message: M; done: boolean }>): void {
    let last: M | undefined;
    while (queue[0]?.done) last = queue.shift()!.message;
    if (!last) return;
    // The stream merges commits of one partition into one request, the highest offset winning.
    const committed = Promise.resolve(last.commit())
      .catch(options.onCommitError)
      .finally(() => commits.delete(committed));
    commits.add(committed);
  }

  return {
    /** Resolves once the message has a slot (so the caller reads no further ahead than the concurrency). */
    async submit(message: M): Promise<void> {
      while (inFlight >= options.concurrency && !failure && !closed) await new Promise<void>((r) => (freed = r));
      if (failure) throw failure.error;
      if (closed) return; // not handled, not committed
      inFlight++;
      const part = `${message.topic}\u0000${message.partition}`;
      let queue = partitions.get(part);
      if (!queue) partitions.set(part, (queue = []));
      const entry = { message, done: false };
      queue.push(entry);
      const chainKey = `${part}\u0000${message.key}`;
      const chain = (chains.get(chainKey) ?? Promise.resolve())
        .then(async () => {
          if (failure) return; // not handled, not committed: redelivered to whoever consumes next
          await options.run(message);
          entry.done = true;
          advance(queue);
        })
        .catch((error: unknown) => void (failure ??= { error }))
        .finally(() => {
          if (chains.get(chainKey) === chain) chains.delete(chainKey);
          inFlight--;
          freed?.();
          freed = undefined;
        });
      chains.set(chainKey, chain);
    },
    /** Starts no more messages; waits for those started and their commits; rethrows the first failure. */
    async close(): Promise<void> {
      closed = true;
      freed?.();
      while (chains.size > 0) await Promise.all(chains.values());
      while (commits.size > 0) await Promise.all(commits);
      if (failure) throw failure.error;
    },
  };
}
