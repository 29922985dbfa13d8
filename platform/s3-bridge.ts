import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What the bucket notification of the real deployment selects: created objects under one prefix. */
export interface NotificationFilter {
  events: 'ObjectCreated';
  prefix: string;
}

interface EventRecord {
  eventName?: string;
  s3?: { object?: { key?: string } };
}

export const matchesFilter = (record: EventRecord, filter: NotificationFilter): boolean =>
  (record.eventName ?? '').startsWith(`${filter.events}:`) &&
  decodeURIComponent((record.s3?.object?.key ?? '').replace(/\+/g, ' ')).startsWith(filter.prefix);

export interface InvokerOptions {
  invokeUrl: string;
  /** Where events that failed every attempt are written, one JSON file each (Lambda's on-failure destination). */
  deadLetterDir: string;
  /** Every event handed to the function, one JSON line each (so a test can deliver one again). */
  eventLog?: string;
  /** Pauses before each retry; Lambda's asynchronous invocation retries twice (after about 1 and 2 minutes). */
  retryDelaysMs?: number[];
  log?: (line: string) => void;
}

/**
 * Asynchronous invocation as S3 → Lambda does it: the event is queued, invoked one at a time (the
 * emulator runs one invocation at once), retried on a function error, then dead-lettered.
 */
export function createInvoker(options: InvokerOptions) {
  const delays = options.retryDelaysMs ?? [1_000, 2_000];
  const log = options.log ?? (() => undefined);
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;

  async function invokeOnce(event: unknown): Promise<{ ok: boolean; status: number; payload: unknown }> {
    try {
      const res = await fetch(options.invokeUrl, {
        method: 'POST',
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(120_000),
      });
      const text = await res.text();
      let payload: unknown = text;
      try {
        payload = JSON.parse(text);
      } catch {
        // not JSON: an emulator error page, kept as text
      }
      // The emulator answers 200 for a function error too, with Lambda's error object as the body.
      const failed = typeof payload === 'object' && payload !== null && 'errorType' in payload;
      return { ok: res.status === 200 && !failed, status: res.status, payload };
    } catch (err) {
      return { ok: false, status: 0, payload: { errorType: 'InvokeFailed', errorMessage: String(err) } };
    }
  }

  async function deliverNow(event: unknown): Promise<void> {
    if (options.eventLog) await appendFile(options.eventLog, JSON.stringify(event) + '\n');
    let last: Awaited<ReturnType<typeof invokeOnce>> | undefined;
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, delays[attempt - 1]));
      last = await invokeOnce(event);
      if (last.ok) return;
      log(`invocation failed (attempt ${attempt + 1}): ${JSON.stringify(last.payload).slice(0, 300)}`);
    }
    await mkdir(options.deadLetterDir, { recursive: true });
    const requestId = randomUUID();
    // The record Lambda sends to an on-failure destination (SQS in the cloud).
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId,
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:product-images:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: delays.length + 1,
      },
      requestPayload: event,
      responseContext: { statusCode: last!.status, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: last!.payload,
    };
    const file = path.join(options.deadLetterDir, `${record.timestamp.replace(/[:.]/g, '-')}-${requestId}.json`);
    await writeFile(file, JSON.stringify(record, null, 2));
    log(`dead-lettered after ${delays.length + 1} attempts: ${file}`);
  }

  return {
    /** Queues one event; resolves once it was handled or dead-lettered. */
    deliver(event: unknown): Promise<void> {
      pending++;
      const done = chain.then(() => deliverNow(event)).finally(() => pending--);
      chain = done.catch(() => undefined);
      return done;
    },
    get pending() {
      return pending;
    },
    /** Resolves when every queued event was handled. */
    idle: () => chain,
  };
}
