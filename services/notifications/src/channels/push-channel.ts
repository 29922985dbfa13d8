import { gaxios, JWT } from 'google-auth-library';
import type { ServiceAccount } from '../config.ts';
import { ChannelError, kindOfHttpStatus, type Channel } from './channel.ts';

const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/**
 * Push through Firebase Cloud Messaging's HTTP v1 API, authorised by Google's auth library with a
 * service-account key. The library always posts for tokens to Google's fixed URL; a request interceptor
 * sends that to the key's own `token_uri` instead (the same URL for a real key; a local one in tests).
 */
export function createPushChannel(options: {
  serviceAccount?: ServiceAccount | undefined;
  apiUrl: string;
  timeoutMs: number;
}): Channel {
  const account = options.serviceAccount;
  if (!account) {
    return {
      name: 'push',
      provider: 'fcm',
      disabledReason: 'push not sent: FCM_SERVICE_ACCOUNT is not set',
      send: () => Promise.reject(new Error('the push channel is not configured')),
      close: async () => undefined,
    };
  }
  const transporter = new gaxios.Gaxios({ timeout: options.timeoutMs });
  transporter.interceptors.request.add({
    resolved: async (config) => {
      if (config.url.href === GOOGLE_TOKEN_URL) config.url = new URL(account.token_uri);
      return config;
    },
  });
  const auth = new JWT({
    email: account.client_email,
    key: account.private_key,
    scopes: ['https://www.googleapis.com/auth/firebase.messaging'],
    transporter,
  });
  const endpoint = new URL(`/v1/projects/${encodeURIComponent(account.project_id)}/messages:send`, options.apiUrl);
  return {
    name: 'push',
    provider: 'fcm',
    disabledReason: null,
    async send(message) {
      try {
        const res = await auth.request<{ name?: string }>({
          url: endpoint.toString(),
          method: 'POST',
          data: { message: { token: message.to, notification: { title: message.subject ?? '', body: message.text } } },
          retry: false,
        });
        return { providerMessageId: res.data.name ?? null };
      } catch (err) {
        const e = err as Error & { status?: number; response?: { status?: number } };
        const status = e.response?.status ?? e.status;
        throw new ChannelError(kindOfHttpStatus(status), `fcm: ${status ?? ''} ${e.message}`.trim());
      }
    },
    close: async () => undefined,
  };
}
