import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { startMailpit } from './mailpit.ts';

// Real mail over SMTP to the test Mailpit, read back through its HTTP API. Other suites share that
// Mailpit, so each test sends to an address of its own and looks only for that.
const smtpUrl = process.env['EMPORIUM_TEST_SMTP_URL'];
const apiUrl = process.env['EMPORIUM_TEST_MAILPIT_URL'];
const skip = smtpUrl && apiUrl ? false : 'go is not installed, so there is no Mailpit';

interface Address {
  Name: string;
  Address: string;
}
interface StoredMessage {
  ID: string;
  MessageID: string;
  From: Address;
  To: Address[];
  Subject: string;
  Text: string;
  HTML: string;
}

const send = (url: string, mail: SendMailOptions) => nodemailer.createTransport(url).sendMail(mail);

/** The one message sent to `to`, waiting briefly for it to be stored. */
async function messageTo(api: string, to: string): Promise<StoredMessage> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = (await (await fetch(`${api}/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}`)).json()) as {
      messages: Array<{ ID: string }>;
    };
    if (found.messages.length === 1) {
      return (await (await fetch(`${api}/api/v1/message/${found.messages[0]!.ID}`)).json()) as StoredMessage;
    }
    assert.ok(found.messages.length === 0 && Date.now() < deadline, `${found.messages.length} messages to ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const recipient = () => `customer-${randomUUID()}@example.com`;

test('a mail sent over SMTP arrives with its subject, recipient and text', { skip }, async () => {
  const to = recipient();
  const sent = await send(smtpUrl!, {
    from: 'Emporium <shop@emporium.local>',
    to,
    subject: 'Your order #42 is confirmed',
    text: 'Thank you for your order.\nTotal: 59.98',
  });
  assert.deepEqual(sent.accepted, [to]);
  const mail = await messageTo(apiUrl!, to);
  assert.equal(mail.Subject, 'Your order #42 is confirmed');
  assert.deepEqual(
    mail.To.map((a) => a.Address),
    [to],
  );
  assert.equal(mail.From.Address, 'shop@emporium.local');
  // Line ends as they travelled: CRLF, as SMTP requires.
  assert.equal(mail.Text.trim(), 'Thank you for your order.\r\nTotal: 59.98');
  assert.equal(`<${mail.MessageID}>`, sent.messageId);
});

test('a mail with an HTML body and a text alternative arrives as both', { skip }, async () => {
  const to = recipient();
  await send(smtpUrl!, {
    from: 'shop@emporium.local',
    to,
    subject: 'Your order has shipped',
    text: 'Your parcel is on its way.',
    html: '<p>Your parcel is <strong>on its way</strong>.</p>',
  });
  const mail = await messageTo(apiUrl!, to);
  assert.equal(mail.Text.trim(), 'Your parcel is on its way.');
  assert.match(mail.HTML, /<p>Your parcel is <strong>on its way<\/strong>\.<\/p>/);
});

test('Mailpit listens on loopback only and keeps its mail across a restart', { skip }, async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'emporium-mailpit-'));
  // Its first SMTP port is taken: it moves on to the next free pair.
  const taken = createServer().listen(24025, '127.0.0.1');
  await once(taken, 'listening');
  const start = () => startMailpit({ dataDir, smtpPort: 24025, httpPort: 24825, portAttempts: 50 });
  let mailpit = await start();
  try {
    assert.notEqual(new URL(mailpit.smtpUrl).port, '24025');
    const listening = execFileSync('ss', ['-Hltnup'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(`pid=${mailpit.pid},`));
    // SMTP and HTTP, and nothing else (no POP3, no second listener on every interface).
    assert.equal(listening.length, 2, listening.join('\n'));
    for (const line of listening) assert.match(line.split(/\s+/)[4]!, /^127\.0\.0\.1:\d+$/, line);

    const to = recipient();
    await send(mailpit.smtpUrl, { from: 'shop@emporium.local', to, subject: 'Kept', text: 'still here' });
    await messageTo(mailpit.url, to);
    await mailpit.stop();
    mailpit = await start();
    assert.equal((await messageTo(mailpit.url, to)).Subject, 'Kept');
  } finally {
    await mailpit.stop();
    taken.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
