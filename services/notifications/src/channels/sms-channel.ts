import twilio from 'twilio';
import { ChannelError, kindOfHttpStatus, type Channel } from './channel.ts';

/**
 * SMS through Twilio's own SDK. `apiUrl` replaces Twilio's API origin (a Twilio-compatible endpoint in
 * tests); without an account SID, token and sender number nothing can be sent, and the channel says so.
 */
export function createSmsChannel(options: {
  accountSid?: string | undefined;
  authToken?: string | undefined;
  from?: string | undefined;
  apiUrl: string;
  timeoutMs: number;
}): Channel {
  const { accountSid, authToken, from } = options;
  if (!accountSid || !authToken || !from) {
    return {
      name: 'sms',
      provider: 'twilio',
      disabledReason: 'SMS not sent: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER are not all set',
      send: () => Promise.reject(new Error('the SMS channel is not configured')),
      close: async () => undefined,
    };
  }
  const client = twilio(accountSid, authToken, { timeout: options.timeoutMs, autoRetry: false });
  // The SDK builds every URL from its domain's base URL; pointing it elsewhere keeps the SDK's own requests.
  client.api.baseUrl = options.apiUrl.replace(/\/$/, '');
  return {
    name: 'sms',
    provider: 'twilio',
    disabledReason: null,
    async send(message) {
      try {
        const sent = await client.messages.create({ to: message.to, from, body: message.text });
        return { providerMessageId: sent.sid };
      } catch (err) {
        const e = err as Error & { status?: number; code?: number };
        throw new ChannelError(kindOfHttpStatus(e.status), `twilio: ${e.status ?? ''} ${e.message}`.trim());
      }
    },
    close: async () => undefined,
  };
}
