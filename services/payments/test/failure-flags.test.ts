import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createFlagFile } from '@emporium/kit/testing';
import { order, startPayments, type Payments } from './helpers.ts';

// The provider-side failure flags (docs/failure-flags.md), read from a real flag file.
let flags: Awaited<ReturnType<typeof createFlagFile>>;
let p: Payments;
before(async () => {
  flags = await createFlagFile();
  p = await startPayments({}, { FLAGS_FILE: flags.file, FLAGS_POLL_MS: '50' });
});
after(async () => {
  await p.close();
  await flags.cleanup();
});

const charge = async (body: unknown) => {
  const headers = await p.asOrders();
  return p.app.inject({ method: 'POST', url: '/internal/payments/process', payload: body as object, headers });
};
const setFlags = async (on: Parameters<typeof flags.set>[0]) => {
  await flags.set(on);
  await p.app.flags.refresh();
};

describe('payment failure flags', () => {
  test('paymentFailure 1: each charge an outage (503, pending, not charged); off, the repeat succeeds', async () => {
    await setFlags({ paymentFailure: 1 });
    const failed = await charge(order(9001));
    assert.equal(failed.statusCode, 503);
    assert.equal(failed.json().code, 'payment_outcome_unknown');
    const row = (await p.pool.query('SELECT status FROM payments WHERE order_id = 9001')).rows[0];
    assert.equal(row.status, 'pending');
    const charged = "SELECT count(*)::int AS n FROM simulated_charges WHERE idempotency_key = 'emporium-order-9001'";
    assert.equal((await p.pool.query(charged)).rows[0].n, 0);

    await setFlags({});
    const ok = await charge(order(9001));
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().status, 'succeeded');
  });

  test('paymentFailure 1 in the declined mode: 402 processing_error, a failed payment and its event', async () => {
    await setFlags({ paymentFailure: 1, paymentFailureMode: 'declined' });
    const res = await charge(order(9002));
    assert.equal(res.statusCode, 402);
    assert.equal(res.json().failure_code, 'processing_error');
    const types = await p.pool.query("SELECT event_type FROM outbox WHERE payload->>'order_id' = '9002'");
    assert.deepEqual(
      types.rows.map((r) => r.event_type),
      ['payment_failed'],
    );
    await setFlags({});
  });

  test('a share of 0.5 fails about half of the charges', async () => {
    await setFlags({ paymentFailure: 0.5 });
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => charge(order(9100 + i))));
    const failed = answers.filter((r) => r.statusCode === 503).length;
    assert.ok(failed > 10 && failed < 50, `${failed} of 60 failed`);
    assert.equal(answers.filter((r) => r.statusCode !== 503 && r.statusCode !== 201).length, 0);
    await setFlags({});
  });

  test('paymentLatencyMs delays the provider call', async () => {
    await setFlags({ paymentLatencyMs: 400 });
    const started = Date.now();
    assert.equal((await charge(order(9003))).statusCode, 201);
    assert.ok(Date.now() - started >= 400, `took ${Date.now() - started} ms`);
    await setFlags({});
  });

  test('the file is re-read on its own when it changes (no restart, no refresh)', async () => {
    await flags.set({ paymentFailure: 1 });
    const deadline = Date.now() + 5_000;
    while (p.app.flags.number('paymentFailure') !== 1) {
      assert.ok(Date.now() < deadline, 'the change was not picked up');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await charge(order(9004))).statusCode, 503);
    await setFlags({});
  });
});

test('production mode ignores the flag file: a warning, and charges go through', async () => {
  const file = await createFlagFile();
  await file.set({ paymentFailure: 1, paymentLatencyMs: 5_000 });
  for (const env of [{ NODE_ENV: 'production' }, { EMPORIUM_ENV: 'production' }] as Array<Record<string, string>>) {
    const prod = await startPayments({}, { FLAGS_FILE: file.file, ...env });
    try {
      assert.equal(prod.app.flags.active, false);
      const headers = await prod.asOrders();
      const res = await prod.app.inject({
        method: 'POST',
        url: '/internal/payments/process',
        payload: order(9500),
        headers,
      });
      assert.equal(res.statusCode, 201);
      const warned = prod.logs.lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn');
      const refused = 'FLAGS_FILE is ignored in production: failure flags are never evaluated';
      assert.deepEqual(
        warned.map((l) => l.message),
        [refused],
      );
    } finally {
      await prod.close();
    }
  }
  await file.cleanup();
});
