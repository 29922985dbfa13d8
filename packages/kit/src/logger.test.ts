import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { createLogger } from './logger.ts';
import { captureLogs } from './testing/index.ts';

test('secrets are censored wherever they sit in a log object', async () => {
  const { stream, lines } = captureLogs();
  const log = createLogger('t', 'info', stream);
  log.info(
    {
      password: 'hunter2hunter2',
      body: { password_hash: '$2b$12$abc', card_number: '4242424242424242' },
      req: { headers: { Authorization: 'Bearer eyJ.x.y' } },
      user: { refresh_token: 'r.t' },
      deep: { a: { b: { c: [{ cvc: '987' }] } } },
      safe: 'visible',
    },
    'x',
  );
  log.flush();
  await new Promise((r) => setImmediate(r));
  const line = lines.join('\n');
  for (const secret of ['hunter2hunter2', '$2b$12$abc', '4242424242424242', 'eyJ.x.y', 'r.t', '987'])
    assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
  assert.match(line, /"safe":"visible"/);
  assert.match(line, /\[REDACTED\]/);
  const parsed = JSON.parse(lines[0]!);
  assert.equal(parsed.service, 't');
  assert.equal(parsed.level, 'info');
});

// A child process logs to the buffered stdout destination, then ends in one of the ways a service ends.
type Ended = { out: string; code: number | null; signal: string | null };
async function runChild(body: string, signal?: NodeJS.Signals): Promise<Ended> {
  const kit = new URL('./index.ts', import.meta.url).href;
  const script = `import { buildServiceApp, createLogger, runService } from '${kit}';\n${body}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  if (signal) {
    await new Promise<void>((ready) => child.stderr.on('data', (d: Buffer) => String(d).includes('ready') && ready()));
    child.kill(signal);
  }
  const [code, sig] = (await once(child, 'close')) as [number | null, string | null];
  return { out, code, signal: sig };
}

const LINES = `const log = createLogger('t');
for (let i = 1; i <= 100; i++) log.info({ i }, i === 100 ? 'last line' : 'line');`;
const isOurs = (l: string) => l.includes('"message":"line"') || l.includes('last line');
const lineCount = (out: string) => out.split('\n').filter(isOurs).length;

test('buffered log lines are all written when the process calls exit', async () => {
  const r = await runChild(`${LINES}\nprocess.exit(0);`);
  assert.equal(r.code, 0);
  assert.equal(lineCount(r.out), 100);
});

test('buffered log lines are all written when an uncaught error ends the process', async () => {
  const r = await runChild(`${LINES}\nthrow new Error('boom');`);
  assert.equal(r.code, 1);
  assert.equal(lineCount(r.out), 100);
});

test('on SIGTERM a service writes its buffered lines, including the shutdown line, then exits', async () => {
  const body = `const app = await buildServiceApp({ service: 't' });
await runService(app, { port: 0, host: '127.0.0.1' });
for (let i = 1; i <= 100; i++) app.log.info({ i }, i === 100 ? 'last line' : 'line');
process.stderr.write('ready');`;
  const r = await runChild(body, 'SIGTERM');
  assert.equal(r.code, 0);
  assert.equal(lineCount(r.out), 100);
  assert.match(r.out.split('\n').filter(Boolean).at(-1)!, /shutting down/);
});

test('a SIGTERM nothing else handles still ends the process by that signal, after the lines are written', async () => {
  const r = await runChild(`${LINES}\nsetInterval(() => undefined, 1000);\nprocess.stderr.write('ready');`, 'SIGTERM');
  assert.equal(r.signal, 'SIGTERM');
  assert.equal(lineCount(r.out), 100);
});
