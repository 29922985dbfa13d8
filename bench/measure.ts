import { readdir, readFile } from 'node:fs/promises';
import autocannon from 'autocannon';

export interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  rssMb: Record<string, number>;
  /** CPU milliseconds each named process spent per request during the measured run. */
  cpuMsPerRequest?: Record<string, number>;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Drives one URL for `seconds` and samples the peak RSS of the given processes meanwhile. */
export async function measure(
  name: string,
  url: string,
  opts: { seconds: number; connections: number; headers?: Record<string, string>; pids?: Record<string, number> },
): Promise<Result> {
  // Warm-up: services were just started, and their JIT needs a few thousand requests on this path.
  await autocannon({
    url,
    connections: opts.connections,
    duration: Number(process.env['BENCH_WARMUP_SECONDS'] ?? 4),
    headers: opts.headers,
  });
  const peak: Record<string, number> = {};
  const sampler = setInterval(async () => {
    for (const [proc, pid] of Object.entries(opts.pids ?? {})) peak[proc] = Math.max(peak[proc] ?? 0, await rssMb(pid));
  }, 250);
  const pids = Object.entries(opts.pids ?? {});
  const cpu0 = await Promise.all(pids.map(([, pid]) => cpuSeconds(pid)));
  // BENCH_RATE=n holds the load at n requests a second: on a busy machine, CPU per request at a rate
  // both versions sustain compares better than the top rate each reaches.
  const rate = Number(process.env['BENCH_RATE'] ?? 0);
  const r = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    headers: opts.headers,
    ...(rate ? { overallRate: rate } : {}),
  });
  const cpu1 = await Promise.all(pids.map(([, pid]) => cpuSeconds(pid)));
  clearInterval(sampler);
  // CPU per request does not depend on how busy the rest of the machine is, unlike req/s.
  const perRequest = (i: number) => ((cpu1[i]! - cpu0[i]!) * 1000) / Math.max(1, r.requests.total);
  const cpuMsPerRequest = Object.fromEntries(pids.map(([proc], i) => [proc, perRequest(i)]));
  const [rps, errors] = [Math.round(r.requests.average), r.errors + r.timeouts];
  return { name, rps, p50: r.latency.p50, p99: r.latency.p99, errors, non2xx: r.non2xx, rssMb: peak, cpuMsPerRequest };
}

export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100; // utime + stime, USER_HZ ticks
}

export function printTable(results: Result[], baseline: Result): void {
  console.log('\n| path | req/s | p50 ms | p99 ms | % of bare | errors | non-2xx | peak RSS MB | CPU ms per request |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|---|');
  for (const r of results) {
    const pct = ((r.rps / baseline.rps) * 100).toFixed(1);
    const rss = Object.entries(r.rssMb)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const cpu = Object.entries(r.cpuMsPerRequest ?? {})
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ');
    const cells = [r.name, r.rps, r.p50, r.p99, pct, r.errors, r.non2xx, rss, cpu];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

/** Heap and RSS as each service reports them in its own /metrics. */
export async function printMemory(ports: Record<string, number>): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const mb = (metric: string) =>
      Math.round(Number(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? 0) / 1048576);
    console.log(
      `${name}: heap used ${mb('emporium_nodejs_heap_size_used_bytes')} MB of ${mb('emporium_nodejs_heap_size_total_bytes')} MB, RSS now ${mb('emporium_process_resident_memory_bytes')} MB`,
    );
  }
}

type RouteTotals = Map<string, { count: number; sum: number }>;

/** Request count and total seconds per service and route, from each service's own /metrics. */
export async function routeTotals(ports: Record<string, number>): Promise<RouteTotals> {
  const out: RouteTotals = new Map();
  for (const [name, port] of Object.entries(ports)) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const m of text.matchAll(/^emporium_http_request_duration_seconds_(sum|count)\{([^}]*)\} (\S+)/gm)) {
      const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
      const key = `${name} ${labels['method']} ${labels['route']}`;
      const t = out.get(key) ?? { count: 0, sum: 0 };
      if (m[1] === 'sum') t.sum = Number(m[3]);
      else t.count = Number(m[3]);
      out.set(key, t);
    }
  }
  return out;
}

/** Where the time went between two snapshots: calls and mean milliseconds per route, busiest first. */
export function printRouteTimes(before: RouteTotals, after: RouteTotals): void {
  const rows = [...after]
    .map(([key, a]) => {
      const b = before.get(key) ?? { count: 0, sum: 0 };
      return { key, count: a.count - b.count, ms: ((a.sum - b.sum) / Math.max(1, a.count - b.count)) * 1000 };
    })
    .filter((r) => r.count > 0 && !/\/(metrics|ready|health)$/.test(r.key));
  console.log('\n| service route (during the run) | calls | mean ms |');
  console.log('|---|---:|---:|');
  for (const r of rows.sort((x, y) => y.count * y.ms - x.count * x.ms))
    console.log(`| ${r.key} | ${r.count} | ${r.ms.toFixed(1)} |`);
}

type CpuTotals = Map<number, { comm: string; title: string; ppid: number; seconds: number }>;

/** CPU seconds used so far by every process on the machine, from /proc (Linux). */
export async function cpuTotals(): Promise<CpuTotals> {
  const out: CpuTotals = new Map();
  const tick = 100; // USER_HZ on Linux
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    const fields = stat.slice(close + 2).split(' ');
    const title = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim();
    out.set(Number(entry), {
      comm: stat.slice(stat.indexOf('(') + 1, close),
      title,
      ppid: Number(fields[1]),
      seconds: (Number(fields[11]) + Number(fields[12])) / tick,
    });
  }
  return out;
}

/**
 * CPU share per process between two snapshots, the named pids under their names and everything
 * else under its command (all postgres backends together, for instance): where the cores went.
 */
export function printCpu(
  before: CpuTotals,
  after: CpuTotals,
  wallSeconds: number,
  named: Record<string, number>,
): void {
  const names = new Map(Object.entries(named).map(([k, v]) => [v, k]));
  const groups = new Map<string, number>();
  for (const [pid, a] of after) {
    const used = a.seconds - (before.get(pid)?.seconds ?? 0);
    if (used <= 0) continue;
    // Children of a named process count towards it; a PostgreSQL backend's title names its database.
    const parent = names.get(a.ppid);
    const backend = /^postgres: (?:\S+ (\S+) |(\S+))/.exec(a.title);
    const name = names.get(pid) ?? (parent && backend ? `${parent} ${backend[1] ?? backend[2]}` : parent) ?? a.comm;
    groups.set(name, (groups.get(name) ?? 0) + used);
  }
  const rows = [...groups].filter(([, s]) => s / wallSeconds >= 0.01).sort((x, y) => y[1] - x[1]);
  const total = rows.reduce((s, [, v]) => s + v, 0);
  console.log(`\n| process | CPU % of one core |`);
  console.log('|---|---:|');
  for (const [name, s] of rows) console.log(`| ${name} | ${((s / wallSeconds) * 100).toFixed(0)} |`);
  console.log(`| all of the above | ${((total / wallSeconds) * 100).toFixed(0)} |`);
}

/** A markdown table row of latencies (ms): how many, p50, p99 and the largest. */
export function latencyRow(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  return `| ${label} | ${sorted.length} | ${at(0.5)} | ${at(0.99)} | ${at(1)} |`;
}
