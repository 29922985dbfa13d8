import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import path from 'node:path';

// A small web inbox for the mail the platform sends locally (decision 0015): Mailpit built with
// `go install` has no UI bundle, so this page reads Mailpit's HTTP API through a read-only proxy on
// its own port. Same origin for page and API keeps the page's policy tight: connect-src 'self'.
export interface MailInbox {
  url: string;
  close(): Promise<void>;
}

const PAGE = path.join(import.meta.dirname, 'mail-inbox.html');
const ID = /^[A-Za-z0-9-]{1,64}$/;

/** The page's policy: its one script by hash, mail HTML only in a sandboxed frame, nothing from elsewhere. */
function policyFor(page: string): string {
  const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
  const hash = createHash('sha256').update(script).digest('base64');
  // A srcdoc frame inherits this policy: mail styles apply, remote images and scripts in a mail do not load.
  return [
    "default-src 'none'",
    `script-src 'sha256-${hash}'`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "connect-src 'self'",
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function problem(res: ServerResponse, status: number, title: string) {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title, status }));
}

/** Mailpit's answer for `apiPath`, passed on as it is (JSON); 502 when Mailpit cannot be reached. */
async function relay(res: ServerResponse, mailpitUrl: string, apiPath: string) {
  try {
    const upstream = await fetch(mailpitUrl + apiPath, { signal: AbortSignal.timeout(5_000) });
    const body = await upstream.text();
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  } catch {
    problem(res, 502, `Mailpit at ${mailpitUrl} did not answer`);
  }
}

export async function startMailInbox(options: { port: number; mailpitUrl: string }): Promise<MailInbox> {
  const page = await readFile(PAGE, 'utf8');
  const pageHeaders = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': policyFor(page),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://inbox');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return problem(res, 405, 'The inbox is read-only');
    }
    if (url.pathname === '/') {
      res.writeHead(200, pageHeaders);
      return res.end(page);
    }
    if (url.pathname === '/api/v1/messages') {
      const start = url.searchParams.get('start') ?? '0';
      const limit = url.searchParams.get('limit') ?? '50';
      if (!/^\d{1,6}$/.test(start) || !/^\d{1,4}$/.test(limit) || Number(limit) < 1) {
        return problem(res, 400, 'start and limit must be whole numbers (limit 1 to 9999)');
      }
      return void relay(res, options.mailpitUrl, `/api/v1/messages?start=${start}&limit=${limit}`);
    }
    const open = /^\/api\/v1\/message\/([^/]*)$/.exec(url.pathname);
    if (open) {
      if (!ID.test(open[1]!)) return problem(res, 400, 'Not a message id');
      return void relay(res, options.mailpitUrl, `/api/v1/message/${open[1]}`);
    }
    problem(res, 404, 'Not found');
  });
  // Like Mailpit, it moves up to the next free port when its own is taken (another platform running).
  for (let attempt = 0; ; attempt++) {
    const port = options.port === 0 ? 0 : options.port + attempt;
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(port, '127.0.0.1', () => (server.off('error', resolve), resolve(undefined)));
    });
    if (!error) break;
    if (error.code !== 'EADDRINUSE' || attempt >= 9) throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
