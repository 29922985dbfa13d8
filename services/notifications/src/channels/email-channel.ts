import nodemailer from 'nodemailer';
import { ChannelError, type Channel } from './channel.ts';

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** Email over SMTP with nodemailer: Mailpit locally, a provider's relay (SES, SendGrid) in the cloud. */
export function createEmailChannel(options: { smtpUrl: string; from: string; poolSize: number }): Channel {
  const url = new URL(options.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    // A few kept connections: at a hundred mails a second a new SMTP session per mail is most of the cost.
    pool: true,
    maxConnections: options.poolSize,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
  return {
    name: 'email',
    provider: 'smtp',
    disabledReason: null,
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
        });
        return { providerMessageId: info.messageId ?? null };
      } catch (err) {
        const e = err as SmtpError;
        // 5xx replies are final for this message; 4xx replies and connection trouble are the server's, for now.
        const rejected =
          (e.responseCode ?? 0) >= 500 || (!e.responseCode && ['EENVELOPE', 'EMESSAGE'].includes(e.code ?? ''));
        throw new ChannelError(rejected ? 'rejected' : 'unreachable', `smtp: ${e.response ?? e.message}`);
      }
    },
    async close() {
      transport.close();
    },
  };
}
