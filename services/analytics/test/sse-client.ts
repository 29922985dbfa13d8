/** A test client for Server-Sent Events over fetch (a header can carry the token, unlike EventSource). */
export interface StreamEvent {
  id?: string;
  event?: string;
  data: string;
}

export async function openEventStream(url: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  let buffer = '';
  let ended = false;
  const reading = (async () => {
    if (!res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: StreamEvent = { data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) event.data += line.slice(6);
          }
          if (event.event) events.push(event);
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
    }
  })();
  /** Waits (polling, no fixed sleep) until the stream holds what `check` wants. */
  const until = async (what: string, check: () => boolean, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline)
        throw new Error(`stream: timed out waiting for ${what}; events ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    res,
    events,
    comments,
    isEnded: () => ended,
    until,
    results: () => events.filter((e) => e.event === 'result').map((e) => ({ id: e.id, ...JSON.parse(e.data) })),
    async close() {
      abort.abort();
      await reading;
    },
  };
}
