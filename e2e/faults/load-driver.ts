import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A load generator in a process of its own, so the load it offers does not depend on the event loop of the
 * services it loads. Closed loop: `concurrency` clients, each sending its next request when the last is answered
 * (what the system can do). Open loop: `rate` requests a second whatever the answers (what clients do).
 */
export interface LoadPlan {
  url: string;
  mode: 'closed' | 'open';
  seconds: number;
  concurrency?: number;
  rate?: number;
  /** A client gives up after this long: an answer that comes later counts as a timeout. */
  timeoutMs: number;
  /** Sent in turn: the headers and JSON body of each request. */
  requests: Array<{ headers: Record<string, string>; body: unknown }>;
}

export interface Answer {
  status: number;
  ms: number;
  id?: number;
  code?: string;
  contentType?: string;
  retryAfter?: string;
  /** Set when no answer came: the client's timeout, a reset connection, a refused one. */
  error?: string;
}

/** Runs `plan` in a child process and returns every answer. */
export async function drive(plan: LoadPlan): Promise<Answer[]> {
  const child = spawn(process.execPath, [import.meta.filename], {
    env: { PATH: process.env['PATH'] ?? '', LOAD_PLAN: JSON.stringify(plan) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load driver exited with ${code}`);
  return JSON.parse(out) as Answer[];
}

async function send(plan: LoadPlan, i: number): Promise<Answer> {
  const { headers, body } = plan.requests[i % plan.requests.length]!;
  const started = performance.now();
  try {
    const res = await fetch(plan.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(plan.timeoutMs),
    });
    const json = (await res.json()) as { id?: number; code?: string };
    return {
      status: res.status,
      ms: performance.now() - started,
      ...(res.status === 201 ? { id: json.id } : { code: json.code }),
      contentType: res.headers.get('content-type') ?? '',
      ...(res.headers.has('retry-after') ? { retryAfter: res.headers.get('retry-after')! } : {}),
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { status: 0, ms: performance.now() - started, error: e.cause?.code ?? e.name };
  }
}

async function run(plan: LoadPlan): Promise<Answer[]> {
  const answers: Array<Promise<Answer>> = [];
  const end = performance.now() + plan.seconds * 1000;
  if (plan.mode === 'closed') {
    const client = async () => {
      while (performance.now() < end) {
        const next = send(plan, answers.length);
        answers.push(next);
        await next;
      }
    };
    await Promise.all(Array.from({ length: plan.concurrency ?? 1 }, client));
  } else {
    // Catch up on every tick: however late a tick is, the requests due by then all go out.
    const start = performance.now();
    for (let now = start; now < end; now = performance.now()) {
      const due = Math.floor(((now - start) * plan.rate!) / 1000);
      while (answers.length < due) answers.push(send(plan, answers.length));
      await sleep(2);
    }
  }
  return Promise.all(answers);
}

if (process.env['LOAD_PLAN']) {
  const answers = await run(JSON.parse(process.env['LOAD_PLAN']) as LoadPlan);
  process.stdout.write(JSON.stringify(answers));
}
