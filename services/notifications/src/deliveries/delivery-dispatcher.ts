import { deadLetterTopic } from '@emporium/events';
import { Counter, Histogram, sharedMetric, WindowCountBreaker, type Registry } from '@emporium/kit';
import type { EventProducer } from '@emporium/messaging';
import { BrokenCircuitError, CircuitState, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { ChannelError, type Channel, type ChannelName } from '../channels/channel.ts';
import type { DeliveryRepository, DeliveryRow, SentMark } from './delivery-repository.ts';

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
  giveUpAfterMs: number;
}

interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** 1 s, 2 s, 4 s, ... capped (the design: exponential, 1 s to 10 s). */
export const backoffMs = (attempts: number, policy: RetryPolicy) =>
  Math.min(policy.baseMs * 2 ** Math.max(0, attempts - 1), policy.maxMs);

/**
 * Writes marks together: while one write is running the next ones gather, so a burst of sends costs a few
 * statements, and a lone send waits for nothing. Each caller learns whether its own mark was written.
 */
export function batchWrites<T>(write: (items: T[]) => Promise<void>): (item: T) => Promise<void> {
  let waiting: Array<{ item: T; settle: (err?: unknown) => void }> = [];
  let writing = false;
  async function flush() {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      const err = await write(batch.map((w) => w.item)).then(
        () => undefined,
        (e: unknown) => e ?? new Error('write failed'),
      );
      for (const w of batch) w.settle(err);
    }
    writing = false;
  }
  return (item) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ item, settle: (err) => (err ? reject(err) : resolve()) });
      if (!writing) void flush();
    });
}

/**
 * Sends what the delivery log holds: due rows are claimed under a lease, sent through their channel's
 * breaker, and marked sent, failed (due again after a backoff) or dead (and copied to `<topic>.dlq`).
 * Woken when new rows commit and every `intervalMs` for retries.
 */
export function createDispatcher(deps: {
  repo: DeliveryRepository;
  channels: Record<ChannelName, Channel>;
  deadLetters: Pick<EventProducer, 'publishRaw'>;
  policy: RetryPolicy;
  breaker: { threshold: number; windowMs: number; halfOpenMs: number };
  concurrency: number;
  intervalMs: number;
  registry: Registry;
  log: Log;
}) {
  const { repo, channels, policy } = deps;
  const outcomes = sharedMetric(
    deps.registry,
    'emporium_notifications_deliveries_total',
    () =>
      new Counter({
        name: 'emporium_notifications_deliveries_total',
        help: 'Delivery attempts by channel and outcome (sent, skipped, failed, deferred, dead)',
        labelNames: ['channel', 'outcome'],
        registers: [deps.registry],
      }),
  );
  const latency = sharedMetric(
    deps.registry,
    'emporium_notifications_delivery_seconds',
    () =>
      new Histogram({
        name: 'emporium_notifications_delivery_seconds',
        help: 'From a delivery being recorded to its provider accepting it',
        labelNames: ['channel'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
        registers: [deps.registry],
      }),
  );
  // One breaker per provider; only the provider's own failures count, never a refused message.
  const breakers = new Map<ChannelName, { policy: CircuitBreakerPolicy; openedAt: number }>();
  for (const name of Object.keys(channels) as ChannelName[]) {
    const policy = circuitBreaker(
      handleWhen((err) => err instanceof ChannelError && err.kind === 'unreachable'),
      {
        halfOpenAfter: deps.breaker.halfOpenMs,
        breaker: new WindowCountBreaker(deps.breaker.threshold, deps.breaker.windowMs),
      },
    );
    const entry = { policy, openedAt: 0 };
    policy.onBreak(() => (entry.openedAt = Date.now()));
    breakers.set(name, entry);
  }
  // An open breaker only half-opens when a call is tried after its rest, so a channel is skipped during the
  // rest only; then rows are claimed again and one of them is the probe.
  const resting = (name: ChannelName) => {
    const b = breakers.get(name)!;
    return b.policy.state === CircuitState.Open && Date.now() - b.openedAt < deps.breaker.halfOpenMs;
  };

  const markSent = batchWrites<SentMark>((marks) => repo.markSent(marks));

  async function deadLetter(row: DeliveryRow, reason: string): Promise<void> {
    await deps.deadLetters
      .publishRaw(deadLetterTopic(row.source_topic), String(row.user_id ?? ''), JSON.stringify(row.event), {
        'x-dead-letter-reason': reason.slice(0, 500),
        'x-original-topic': row.source_topic,
        'x-delivery-id': row.id,
        'x-channel': row.channel,
      })
      .catch((err: unknown) => deps.log.error({ err, delivery_id: row.id }, 'dead letter not published'));
  }

  async function deliver(row: DeliveryRow): Promise<void> {
    const channel = channels[row.channel as ChannelName];
    if (channel.disabledReason) {
      await repo.markSkipped(row.id, channel.disabledReason);
      outcomes.inc({ channel: row.channel, outcome: 'skipped' });
      return;
    }
    const attempts = row.attempts + 1;
    try {
      const sent = await breakers
        .get(channel.name)!
        .policy.execute(() =>
          channel.send({ to: row.recipient, subject: row.subject, text: row.body_text ?? '', html: row.body_html }),
        );
      await markSent({ id: row.id, providerMessageId: sent.providerMessageId, attempts });
      outcomes.inc({ channel: row.channel, outcome: 'sent' });
      latency.observe({ channel: row.channel }, (Date.now() - row.created_at.getTime()) / 1000);
    } catch (err) {
      if (err instanceof BrokenCircuitError) {
        // Not tried: the provider is resting. No attempt is used up.
        await repo.markFailed(
          row.id,
          `not tried: the ${channel.provider} breaker is open`,
          row.attempts,
          deps.breaker.halfOpenMs,
        );
        outcomes.inc({ channel: row.channel, outcome: 'deferred' });
        return;
      }
      const message = (err as Error).message;
      const unreachable = err instanceof ChannelError && err.kind === 'unreachable';
      const tooOld = Date.now() - row.created_at.getTime() > policy.giveUpAfterMs;
      // A provider outage is not the message's fault: it waits for the provider (up to giveUpAfter).
      if (unreachable ? tooOld : attempts >= policy.maxAttempts) {
        await repo.markDead(row.id, message, attempts);
        await deadLetter(row, `gave up after ${attempts} attempts: ${message}`);
        outcomes.inc({ channel: row.channel, outcome: 'dead' });
        deps.log.error({ delivery_id: row.id, channel: row.channel, err: message }, 'delivery given up');
        return;
      }
      await repo.markFailed(row.id, message, attempts, backoffMs(attempts, policy));
      outcomes.inc({ channel: row.channel, outcome: 'failed' });
    }
  }

  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  /**
   * Workers take rows from a queue that is refilled (one claim at a time) as soon as it runs low, so no
   * worker waits for the slowest message of a batch. The pass ends when a claim found less than it asked
   * for, nothing was committed meanwhile, and the queue is empty.
   */
  async function pass(): Promise<void> {
    const batch = deps.concurrency * 2;
    const queue: DeliveryRow[] = [];
    let more = true;
    let claiming: Promise<void> | undefined;
    let failure: { err: unknown } | undefined;
    const refill = () =>
      (claiming ??= (async () => {
        again = false;
        const usable = (Object.keys(channels) as ChannelName[]).filter((c) => !resting(c));
        const rows = await repo.claimDue(usable, batch, 60);
        queue.push(...rows);
        more = rows.length === batch || again;
      })()
        .catch((err: unknown) => {
          failure ??= { err };
          more = false;
        })
        .finally(() => (claiming = undefined)));
    const worker = async () => {
      // Stopping: what was claimed is still sent (or it would wait out its lease), nothing more is claimed.
      for (;;) {
        if (queue.length <= deps.concurrency && more && !stopped) void refill();
        const row = queue.shift();
        if (!row) {
          if (!claiming) return;
          await claiming;
          continue;
        }
        await deliver(row).catch((err: unknown) =>
          deps.log.warn(
            { err: (err as Error).message, delivery_id: row.id },
            'delivery not recorded; retried after its lease',
          ),
        );
      }
    };
    await Promise.all(Array.from({ length: deps.concurrency }, worker));
    if (failure) throw failure.err;
  }

  /** Runs a pass now, or right after the one running (rows committed during it are not missed). */
  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .catch((err: unknown) => deps.log.warn({ err: (err as Error).message }, 'dispatch pass failed; will retry'))
      .finally(() => {
        running = undefined;
        if (again) wake();
      });
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    wake,
    start() {
      timer = setInterval(wake, deps.intervalMs);
      timer.unref();
      wake();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
    breakerStates: () => Object.fromEntries([...breakers].map(([name, b]) => [name, CircuitState[b.policy.state]])),
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
