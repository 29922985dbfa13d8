import { getSession, refreshSession } from '../shared/session.ts';

// The analytics stream is Server-Sent Events behind the bearer token. EventSource cannot send an Authorization
// header (and a token in the URL would land in logs), so the stream is read with fetch and parsed here.

export type StreamState = 'connecting' | 'live' | 'polling' | 'refused';
export interface StreamEvent {
  id?: string;
  event: string;
  data: string;
}

const MAX_BACKOFF_MS = 30_000;

/** Parses SSE frames out of a growing text buffer; returns what is left (an unfinished frame). */
export function parseFrames(buffer: string, emit: (e: StreamEvent) => void, onRetry: (ms: number) => void): string {
  const frames = buffer.split(/\r\n\r\n|\n\n|\r\r/);
  const rest = frames.pop() ?? '';
  for (const frame of frames) {
    const event: StreamEvent = { event: 'message', data: '' };
    let hasData = false;
    for (const line of frame.split(/\r\n|\n|\r/)) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') {
        event.data += (hasData ? '\n' : '') + value;
        hasData = true;
      } else if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) onRetry(Number(value));
    }
    if (hasData) emit(event);
  }
  return rest;
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Follows `path` until closed: reconnects after a drop (resuming with Last-Event-ID), refreshes the access
 * token once on a 401, and says `polling` while it has no stream so the page can fall back to polling.
 */
export function followStream(
  path: string,
  handlers: { onEvent: (e: StreamEvent) => void; onState: (s: StreamState) => void },
): () => void {
  const stop = new AbortController();
  let lastId: string | undefined;
  let retryMs = 3_000;
  let failures = 0;

  async function connect(): Promise<'again' | 'stop'> {
    let session = getSession();
    if (!session) return 'stop';
    if (session.expiresAt - Date.now() < 30_000) session = (await refreshSession(session)) ?? getSession();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (session) headers['authorization'] = `Bearer ${session.accessToken}`;
    if (lastId) headers['last-event-id'] = lastId;
    let res = await fetch(path, { headers, cache: 'no-store', signal: stop.signal });
    if (res.status === 401 && session) {
      const renewed = await refreshSession(session);
      if (!renewed) return 'stop';
      headers['authorization'] = `Bearer ${renewed.accessToken}`;
      res = await fetch(path, { headers, cache: 'no-store', signal: stop.signal });
    }
    if (res.status === 401 || res.status === 403) {
      handlers.onState('refused');
      return 'stop';
    }
    if (!res.ok || !res.body) return 'again';
    handlers.onState('live');
    failures = 0;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'again';
      buffer = parseFrames(
        buffer + value,
        (e) => {
          if (e.id) lastId = e.id;
          handlers.onEvent(e);
        },
        (ms) => (retryMs = ms),
      );
    }
  }

  void (async () => {
    while (!stop.signal.aborted) {
      handlers.onState(failures === 0 ? 'connecting' : 'polling');
      const outcome = await connect().catch(() => 'again' as const);
      if (stop.signal.aborted || outcome === 'stop') {
        if (!stop.signal.aborted) handlers.onState('refused');
        return;
      }
      // Dropped or refused for now (503: too many streams): poll meanwhile, try again a little later each time.
      failures++;
      handlers.onState('polling');
      await pause(Math.min(retryMs * 2 ** Math.min(failures - 1, 4), MAX_BACKOFF_MS), stop.signal);
    }
  })();
  return () => stop.abort();
}
