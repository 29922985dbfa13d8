import type { ResultRow } from '../results/result.ts';
import { toView } from '../results/result.ts';

// Server-Sent Events framing (WHATWG HTML §9.2). JSON.stringify never writes a raw newline, so one data line.

/** The first frame: how long a client waits before reconnecting, and a comment so headers go out at once. */
export const openingFrame = (retryMs: number): string => `retry: ${retryMs}\n: connected\n\n`;

/** A comment line: keeps proxies and load balancers from closing a quiet stream. */
export const heartbeatFrame = (): string => ': heartbeat\n\n';

/** One stored (or revised) result; its id is its stream position, which Last-Event-ID resumes after. */
export const resultFrame = (row: ResultRow): string =>
  `id: ${row.seq}\nevent: result\ndata: ${JSON.stringify(toView(row))}\n\n`;

/** A Last-Event-ID header as a stream position, or undefined when there is none or it is not one of ours. */
export function lastEventIdOf(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string' || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header);
}
