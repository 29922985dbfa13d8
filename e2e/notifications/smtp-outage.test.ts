import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasGo } from '../../platform/go-tools.ts';
import { startMailpit, type MailpitHandle } from '../../platform/mailpit.ts';
import { address } from '../checkout/shop.ts';
import { eventually, mailbox } from './mailbox.ts';
import { startNotifyingShop, type NotifyingShop } from './notify-shop.ts';

// The SMTP server is stopped for 30 s while 20 orders are placed: every mail arrives once it is back, none twice.
// A Mailpit of this file's own, so it can be stopped without touching the other suites' mail.
const OUTAGE_MS = 30_000;
const skip = process.env['EMPORIUM_TEST_SMTP_URL'] && (await hasGo()) ? false : 'no Mailpit (run with npm test)';
let dir: string;
let mailpit: MailpitHandle;
let s: NotifyingShop;
const ports = { smtpPort: 24300 + Math.floor(Math.random() * 200), httpPort: 0 };
ports.httpPort = ports.smtpPort + 300;

const startOwnMailpit = () =>
  startMailpit({
    dataDir: path.join(dir, 'mailpit'),
    smtpPort: ports.smtpPort,
    httpPort: ports.httpPort,
    portAttempts: 1,
  });

before(
  async () => {
    if (skip) return;
    dir = await mkdtemp(path.join(tmpdir(), 'notify-smtp-'));
    mailpit = await startOwnMailpit();
    s = await startNotifyingShop({ smtpUrl: mailpit.smtpUrl });
  },
  // Its own shop (and broker) on a loaded machine can take longer than a test's 120 s to start.
  { timeout: 600_000 },
);
after(async () => {
  if (skip) return;
  await s.close();
  await mailpit.stop();
  await rm(dir, { recursive: true, force: true });
});

test(
  'SMTP stopped for 30 s while 20 orders are placed: all 20 mails arrive after, none twice',
  { skip, timeout: 240_000 },
  async () => {
    const buyer = await s.login('smtp_outage');
    const item = await s.product(100, 2);
    await mailpit.stop();
    const stoppedAt = Date.now();
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await s.call(
        'POST',
        '/api/orders',
        { items: [{ product_id: item.id, quantity: 1 }], shipping_address: address },
        buyer.auth,
      );
      assert.equal(res.status, 201);
      ids.push(res.json.id);
    }
    // Sends fail against the stopped server until its breaker opens; after that the rest wait untried.
    await eventually('20 confirmations waiting, sends failing', async () => {
      const { rows } = await s.notificationsPool.query(
        `SELECT count(*) FILTER (WHERE notification_type = 'order_confirmation' AND status IN ('queued', 'failed'))::int AS waiting,
                count(*) FILTER (WHERE status = 'failed')::int AS failed FROM deliveries`,
      );
      return rows[0].waiting === 20 && rows[0].failed > 0 ? true : undefined;
    });
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    const { rows: during } = await s.notificationsPool.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE status IN ('sent', 'dead')`,
    );
    assert.equal(during[0].n, 0, 'nothing sent or given up while the server was down');

    mailpit = await startOwnMailpit();
    const inbox = mailbox(mailpit.url);
    const mails = await inbox.waitFor('smtp_outage@example.com', /^Order #\d+ confirmed$/, 20, 120_000);
    const subjects = mails.map((m) => m.Subject).sort();
    assert.deepEqual(subjects, ids.map((id) => `Order #${id} confirmed`).sort(), 'each order confirmed exactly once');
    await inbox.waitFor('smtp_outage@example.com', /^Payment received/, 20, 60_000);
    // Settled: every row sent, none twice in the inbox.
    await eventually('every delivery sent', async () => {
      const { rows } = await s.notificationsPool.query(
        `SELECT count(*)::int AS n FROM deliveries WHERE status <> 'sent'`,
      );
      return rows[0].n === 0 ? true : undefined;
    });
    const all = await inbox.search('smtp_outage@example.com');
    assert.equal(all.length, 40);
    assert.equal(new Set(all.map((m) => m.Subject)).size, 40);
  },
);
