import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import { ensureTopics } from '@emporium/messaging';
import { startAnalytics } from '../platform/analytics.ts';
import { startKafka } from '../platform/kafka.ts';
import { created, item, paid } from '../e2e/analytics/job-events.ts';
import { freePort, metric } from '../e2e/analytics/job-results.ts';
import { measureVisibility } from './analytics-latency.ts';

// `npm run bench:analytics`: events/s through the Flink job on this machine and its RSS. The events (an order
// placed and paid, 1 % delivered twice) are on the topic before the job starts, so the job reads as fast as it can.
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 400_000);
const PARALLELISM = Number(process.env['BENCH_PARALLELISM'] ?? 1);
// Extra JVM options, space-separated: e.g. a JFR recording (-XX:StartFlightRecording=filename=…) or another GC.
const JVM_OPTIONS = (process.env['BENCH_JVM_OPTS'] ?? '').split(' ').filter(Boolean);
const say = (line: string) => console.log(`[bench] ${line}`);
/** User + system CPU of a process so far (Linux /proc, 100 ticks a second). */
const cpuSeconds = async (pid: number) => {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const valueOf = (text: string, name: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : undefined;
};
const dir = await mkdtemp(path.join(tmpdir(), 'emporium-bench-analytics-'));
// mkdtemp makes it 0700; the bench made it, so it may open it for the postgres user (the latency phase's database).
await chmod(dir, 0o755);
const kafka = await startKafka({ dataDir: path.join(dir, 'kafka'), port: 27392, portAttempts: 20, heapMb: 512 });
try {
  const topic = `orders-bench-${randomBytes(3).toString('hex')}`;
  await ensureTopics(
    kafka.brokers,
    [
      { name: topic, partitions: 3 },
      { name: `${topic}-results`, partitions: 3 },
    ],
    1,
  );
  const producer = new Producer({
    clientId: 'bench',
    bootstrapBrokers: kafka.brokers,
    serializers: stringSerializers,
    acks: ProduceAcks.LEADER,
  });
  const start = Date.parse('2024-06-01T00:00:00.000Z');
  const producedAt = Date.now();
  let messages = 0; // the events plus the copies: what the job's source must read
  for (let sent = 0; sent < EVENTS;) {
    const batch = [];
    for (let i = 0; i < 2_000 && sent < EVENTS; i += 2, sent += 2) {
      const order = sent / 2 + 1;
      // About 40 orders a second of event time: a day's worth of 5-minute windows for 400,000 events.
      const at = new Date(start + order * 25).toISOString();
      const items = [item((order % 300) + 1, 1 + (order % 3), 9.99)];
      const region = ['GB', 'DE', 'FR', 'US', 'ES'][order % 5]!;
      const pay = paid(order, at, region, items);
      batch.push(created(order, at, region, items), pay);
      if (order % 100 === 0) batch.push(pay);
    }
    await producer.send({
      messages: batch.map((e) => ({ topic, key: String(e.order_id), value: JSON.stringify(e) })),
    });
    messages += batch.length;
  }
  await producer.close();
  say(
    `${EVENTS} events (+1 % of the payments again: ${messages} messages) on ${topic} in ${((Date.now() - producedAt) / 1000).toFixed(1)} s`,
  );

  const ports = { metricsPort: await freePort(), restPort: await freePort(), blobPort: await freePort() };
  const launchedAt = Date.now();
  const job = await startAnalytics(
    {
      brokers: kafka.brokers,
      storageUrl: pathToFileURL(path.join(dir, 'storage')).href,
      ...ports,
      checkpointIntervalMs: 10_000,
      sourceTopic: topic,
      resultsTopic: `${topic}-results`,
      groupId: topic,
      parallelism: PARALLELISM,
      jvmOptions: JVM_OPTIONS,
      logFile: path.join(dir, 'job.log'),
    },
    say,
  );
  const runningAt = Date.now();
  say(`job running ${((runningAt - launchedAt) / 1000).toFixed(1)} s after launch (pid ${job.pid})`);
  // Exactly the messages sent: the job's events_in counts each message its one source read.
  const total = messages;
  let firstAt = 0;
  let cpuAtFirst = 0;
  let peakRss = 0;
  // The second half of the topic alone: the JIT compiler's warm-up (a third of the CPU in the first 30 s) is mostly over.
  let half: { at: number; cpu: number; read: number } | undefined;
  for (;;) {
    // One scrape a poll: each renders every Flink metric (the job's CPU pays for it).
    const text = await fetch(`${job.metricsUrl}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
    const read = valueOf(text, 'emporium_analytics_events_in_total') ?? 0;
    peakRss = Math.max(peakRss, valueOf(text, 'emporium_analytics_process_resident_memory_bytes') ?? 0);
    if (read > 0 && !firstAt) [firstAt, cpuAtFirst] = [Date.now(), await cpuSeconds(job.pid)];
    if (read >= total / 2 && !half) half = { at: Date.now(), cpu: await cpuSeconds(job.pid), read };
    if (read >= total) break;
    if (Date.now() - runningAt > 600_000) throw new Error(`only ${read} of ${total} events read in 10 minutes`);
    // Once a second: each scrape renders every Flink metric, which a 250 ms poll made a fifth of the job's CPU.
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const seconds = (Date.now() - firstAt) / 1000;
  const cpu = (await cpuSeconds(job.pid)) - cpuAtFirst;
  const results = await metric(job.metricsUrl, 'emporium_analytics_results_out_total');
  say(`read ${total} events in ${seconds.toFixed(1)} s: ${Math.round(total / seconds)} events/s`);
  // On a shared machine the wall-clock rate depends on the neighbours; events per CPU-second of the JVM does not.
  say(`the job used ${cpu.toFixed(1)} CPU-s: ${Math.round(total / cpu)} events per CPU-second`);
  if (half) {
    const [n, s, c] = [total - half.read, (Date.now() - half.at) / 1000, (await cpuSeconds(job.pid)) - half.cpu];
    say(
      `second half (${n} events, warmed up): ${Math.round(n / s)} events/s, ${Math.round(n / c)} events per CPU-second`,
    );
  }
  say(`results written: ${results}; peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB (heap cap 768 MiB)`);
  await job.stop();
  const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  say(`parallelism ${PARALLELISM}; load average ${load} (2 cores, shared)`);
  if (process.env['BENCH_LIVE_S'] !== '0') await measureVisibility(kafka.brokers, dir, say);
} finally {
  await kafka.stop();
  await rm(dir, { recursive: true, force: true });
}
