import { request, type IncomingMessage } from 'node:http';

/** A test client for Server-Sent Events (a header can carry the token, unlike a browser's EventSource). */
export interface StreamEvent {
  id?: string;
  event?: string;
  data: string;
}

// node:http without an agent: one connection per stream, gone when the stream is closed (a pooled fetch
// connection left behind would hold the server's close).
function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ req: ReturnType<typeof request>; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (res) =>
      resolve({ req, res }),
    );
    req.on('error', reject);
    req.end();
  });
}

export async function openEventStream(url: string, headers: Record<string, string>) {
  const { req, res } = await get(url, headers);
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  let body = '';
  let buffer = '';
  let ended = false;
  const isStream = String(res.headers['content-type']).startsWith('text/event-stream');
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    if (!isStream) return void (body += chunk);
    buffer += chunk;
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
  });
  const done = new Promise<void>((resolve) => {
    res.on('close', () => ((ended = true), resolve()));
    res.on('error', () => undefined); // the end of the stream is what the tests look at
  });
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
    status: res.statusCode!,
    headers: res.headers,
    events,
    comments,
    /** The body of an answer that is not a stream (a problem+json refusal). */
    body: async () => (await done, body),
    isEnded: () => ended,
    until,
    results: () => events.filter((e) => e.event === 'result').map((e) => ({ id: e.id, ...JSON.parse(e.data) })),
    async close() {
      req.destroy();
      await done;
    },
  };
}
