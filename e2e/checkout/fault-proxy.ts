import { createServer, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the proxy does with one call: pass it on, refuse it, or pass it on and lose the answer. */
export type Fault = { kind: 'pass'; delayMs?: number } | { kind: 'refuse' } | { kind: 'lose_answer' };

export interface FaultProxy {
  url: string;
  /** The real service behind it. */
  target: string;
  /** Decides per call from its path and parsed JSON body; the default passes everything. */
  decide: (path: string, body: any) => Fault; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

const read = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

/** An HTTP proxy on 127.0.0.1 in front of a real service, for injecting outages and lost answers. */
export async function startFaultProxy(): Promise<FaultProxy> {
  const proxy: FaultProxy = { url: '', target: '', decide: () => ({ kind: 'pass' }), close: async () => undefined };
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const fault = proxy.decide(req.url ?? '/', body.length ? JSON.parse(body.toString()) : undefined);
    if (fault.kind === 'refuse') {
      res
        .writeHead(503, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ status: 503, code: 'injected' }));
      return;
    }
    if (fault.kind === 'pass' && fault.delayMs) await sleep(fault.delayMs);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
    const upstream = await fetch(proxy.target + req.url, {
      method: req.method!,
      headers,
      body: body.length ? body : undefined,
    });
    const text = await upstream.text();
    if (fault.kind === 'lose_answer') {
      res
        .writeHead(502, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ status: 502, code: 'injected' }));
      return;
    }
    res
      .writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' })
      .end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
