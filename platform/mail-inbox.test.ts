import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import nodemailer from 'nodemailer';
import { startMailInbox, type MailInbox } from './mail-inbox.ts';

// The inbox page over the test Mailpit: a mail sent over real SMTP is listed and opened through it.
const smtpUrl = process.env['EMPORIUM_TEST_SMTP_URL'];
const mailpitUrl = process.env['EMPORIUM_TEST_MAILPIT_URL'];
const skip = smtpUrl && mailpitUrl ? false : 'go is not installed, so there is no Mailpit';

interface Listed {
  ID: string;
  Subject: string;
  To: Array<{ Address: string }>;
}

describe('the mail inbox page', { skip }, () => {
  let inbox: MailInbox;
  before(async () => (inbox = await startMailInbox({ port: 0, mailpitUrl: mailpitUrl! })));
  after(() => inbox?.close());

  test('serves one page whose policy allows only its own script and frames mail HTML in a sandbox', async () => {
    const res = await fetch(inbox.url + '/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const policy = res.headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    assert.match(policy, /connect-src 'self'/);
    assert.doesNotMatch(policy, /script-src[^;]*unsafe-inline/);
    const page = await res.text();
    assert.match(page, /<title>Emporium mail inbox<\/title>/);
    assert.match(page, /setAttribute\('sandbox', ''\)/);
    assert.doesNotMatch(page, /innerHTML/);
  });

  test('lists a mail sent to Mailpit, newest first, and opens it with its HTML and text', async () => {
    const to = `inbox-${randomUUID()}@example.com`;
    const transport = nodemailer.createTransport(smtpUrl!);
    for (const n of [1, 2]) {
      await transport.sendMail({
        from: 'Emporium <shop@emporium.local>',
        to,
        subject: `Inbox check ${n}`,
        text: `Plain part ${n}`,
        html: `<p>HTML part ${n}</p><script>alert(1)</script>`,
      });
    }
    let ours: Listed[] = [];
    for (const deadline = Date.now() + 10_000; ours.length < 2; await new Promise((r) => setTimeout(r, 100))) {
      assert.ok(Date.now() < deadline, 'both mails listed');
      const res = await fetch(`${inbox.url}/api/v1/messages?limit=500`);
      assert.equal(res.status, 200);
      const listed = (await res.json()) as { messages: Listed[] };
      ours = listed.messages.filter((m) => m.To.some((t) => t.Address === to));
    }
    assert.deepEqual(
      ours.map((m) => m.Subject),
      ['Inbox check 2', 'Inbox check 1'],
    );
    const opened = await fetch(`${inbox.url}/api/v1/message/${ours[0]!.ID}`);
    assert.equal(opened.status, 200);
    const mail = (await opened.json()) as { Subject: string; Text: string; HTML: string };
    assert.equal(mail.Subject, 'Inbox check 2');
    assert.equal(mail.Text.trim(), 'Plain part 2');
    assert.match(mail.HTML, /<p>HTML part 2<\/p>/);
  });

  test('is read-only and refuses what is not a message id or a page size', async () => {
    const status = async (p: string, init?: RequestInit) => (await fetch(inbox.url + p, init)).status;
    assert.equal(await status('/api/v1/messages', { method: 'DELETE' }), 405);
    assert.equal(await status('/api/v1/message/..%2F..%2Fmessages'), 400);
    assert.equal(await status('/api/v1/messages?limit=-1'), 400);
    assert.equal(await status('/api/v1/messages?start=x'), 400);
    assert.equal(await status('/api/v1/message/no-such-message'), 404);
    assert.equal(await status('/nothing-here'), 404);
  });

  test('says plainly when Mailpit does not answer', async () => {
    const orphan = await startMailInbox({ port: 0, mailpitUrl: 'http://127.0.0.1:1' });
    try {
      const res = await fetch(`${orphan.url}/api/v1/messages`);
      assert.equal(res.status, 502);
      assert.match(((await res.json()) as { title: string }).title, /did not answer/);
    } finally {
      await orphan.close();
    }
  });
});
