import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';

const readBody = async (req: IncomingMessage) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
};

/**
 * Local stand-ins for Twilio's Messages API and for FCM HTTP v1 with its OAuth token endpoint, speaking
 * their wire formats, so the real SDKs (twilio, google-auth-library) talk to them unchanged.
 */
export async function startProviders() {
  const sms: Array<{ to: string; from: string; body: string; account: string; auth: string }> = [];
  const push: Array<{ token: string; title: string; body: string; project: string; bearer: string }> = [];
  const tokenRequests: Array<{ grant_type: string | null; assertion: string | null }> = [];
  const accessToken = `ya29.test-${randomUUID()}`;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://local');
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const twilio = url.pathname.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
      if (req.method === 'POST' && twilio) {
        const form = new URLSearchParams(body);
        const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        sms.push({ to: form.get('To')!, from: form.get('From')!, body: form.get('Body')!, account: twilio[1]!, auth });
        return reply(201, {
          sid: `SM${randomUUID().replaceAll('-', '')}`,
          status: 'queued',
          to: form.get('To'),
          body: form.get('Body'),
        });
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        const form = new URLSearchParams(body);
        tokenRequests.push({ grant_type: form.get('grant_type'), assertion: form.get('assertion') });
        return reply(200, { access_token: accessToken, expires_in: 3600, token_type: 'Bearer' });
      }
      const fcm = url.pathname.match(/^\/v1\/projects\/([^/]+)\/messages:send$/);
      if (req.method === 'POST' && fcm) {
        const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        if (bearer !== accessToken) return reply(401, { error: { code: 401, status: 'UNAUTHENTICATED' } });
        const message = (
          JSON.parse(body) as { message: { token: string; notification: { title: string; body: string } } }
        ).message;
        push.push({ token: message.token, ...message.notification, project: fcm[1]!, bearer });
        return reply(200, { name: `projects/${fcm[1]}/messages/${randomUUID()}` });
      }
      reply(404, { error: 'not found' });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccount = {
    type: 'service_account',
    project_id: 'emporium-test',
    client_email: 'notifications@emporium-test.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    token_uri: `${base}/token`,
  };
  return {
    sms,
    push,
    tokenRequests,
    /** The settings that point the notification service's SMS and push channels here. */
    env: {
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
      TWILIO_AUTH_TOKEN: 'test-auth-token',
      TWILIO_FROM_NUMBER: '+15005550006',
      TWILIO_API_URL: base,
      FCM_SERVICE_ACCOUNT: JSON.stringify(serviceAccount),
      FCM_API_URL: base,
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
