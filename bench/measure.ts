import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';

export interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  rssMb: Record<string, number>;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Drives one URL for `seconds` and samples the peak RSS of the given processes meanwhile. */
export async function measure(name: string, url: string, opts: { seconds: number; connections: number; headers?: Record<string, string>; pids?: Record<string, number> }): Promise<Result> {
  // Warm-up: services were just started, and their JIT needs a few thousand requests on this path.
  await autocannon({ url, connections: opts.connections, duration: Number(process.env['BENCH_WARMUP_SECONDS'] ?? 4), headers: opts.headers });
  const peak: Record<string, number> = {};
  const sampler = setInterval(async () => {
    for (const [proc, pid] of Object.entries(opts.pids ?? {})) peak[proc] = Math.max(peak[proc] ?? 0, await rssMb(pid));
  }, 250);
  const r = await autocannon({ url, connections: opts.connections, duration: opts.seconds, headers: opts.headers });
  clearInterval(sampler);
  return { name, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, rssMb: peak };
}

export function printTable(results: Result[], baseline: Result): void {
  console.log('\n| path | req/s | p50 ms | p99 ms | % of bare | errors | non-2xx | peak RSS MB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    const pct = ((r.rps / baseline.rps) * 100).toFixed(1);
    const rss = Object.entries(r.rssMb).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${pct} | ${r.errors} | ${r.non2xx} | ${rss} |`);
  }
}

/** Heap and RSS as each service reports them in its own /metrics. */
export async function printMemory(ports: Record<string, number>): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const mb = (metric: string) => Math.round(Number(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? 0) / 1048576);
    console.log(`${name}: heap used ${mb('emporium_nodejs_heap_size_used_bytes')} MB of ${mb('emporium_nodejs_heap_size_total_bytes')} MB, RSS now ${mb('emporium_process_resident_memory_bytes')} MB`);
  }
}
