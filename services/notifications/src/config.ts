import {
  bool,
  int,
  loadConfig,
  parsed,
  parseServicePrivateKey,
  str,
  url,
  type ConfigOf,
  serverSettings,
  databaseSettings,
} from '@emporium/kit';

/** A Google service-account key (JSON) for FCM: the fields the push channel needs, checked at start. */
export interface ServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
  token_uri: string;
}

function parseServiceAccount(value: string): ServiceAccount {
  let json: Partial<ServiceAccount>;
  try {
    json = JSON.parse(value) as Partial<ServiceAccount>;
  } catch {
    throw new Error('must be the service-account key file (JSON)');
  }
  for (const k of ['project_id', 'client_email', 'private_key', 'token_uri'] as const) {
    if (typeof json[k] !== 'string' || !json[k]) throw new Error(`has no ${k}`);
  }
  return json as ServiceAccount;
}

const shape = {
  ...serverSettings(5004),
  /** The consumer's transactions and the dispatcher's marks share it (CONSUMER_CONCURRENCY + DISPATCH_CONCURRENCY). */
  ...databaseSettings(20, 2),
  kafkaBrokers: str('KAFKA_BROKERS', { default: '127.0.0.1:9092' }),
  kafkaTimeoutMs: int('KAFKA_TIMEOUT_MS', { default: 10_000, min: 100 }),
  jwksUrl: url('JWKS_URL', { default: 'http://127.0.0.1:5001/.well-known/jwks.json' }),
  /** Recipients (email, name, phone, push tokens, channel choices) come from the users service's internal API. */
  usersUrl: url('USERS_URL', { default: 'http://127.0.0.1:5001' }),
  serviceTimeoutMs: int('SERVICE_TIMEOUT_MS', { default: 5_000, min: 100 }),
  servicePrivateKey: parsed('SERVICE_PRIVATE_KEY', parseServicePrivateKey, { secret: true }),
  /** How long a looked-up recipient is reused: a changed address or preference applies after this. */
  recipientCacheSeconds: int('RECIPIENT_CACHE_SECONDS', { default: 60, min: 0, max: 3_600 }),
  /** Links in messages (the password-reset page) point here. */
  storefrontUrl: url('STOREFRONT_URL', { default: 'http://127.0.0.1:5000' }),
  /** The shop's currency (as the payment service's CURRENCY): events carry amounts, not currencies. */
  currency: parsed(
    'CURRENCY',
    (v) => {
      if (!/^[A-Za-z]{3}$/.test(v)) throw new Error('must be an ISO 4217 code such as USD');
      return v.toUpperCase();
    },
    { default: 'USD' },
  ),
  smtpUrl: url('SMTP_URL', { default: 'smtp://127.0.0.1:1025' }),
  mailFrom: str('MAIL_FROM', { default: 'Emporium <shop@emporium.local>' }),
  smtpPoolSize: int('SMTP_POOL_SIZE', { default: 10, min: 1, max: 50 }),
  twilioAccountSid: str('TWILIO_ACCOUNT_SID', { optional: true }),
  twilioAuthToken: str('TWILIO_AUTH_TOKEN', { optional: true, secret: true }),
  twilioFromNumber: str('TWILIO_FROM_NUMBER', { optional: true }),
  /** Twilio's REST API; a Twilio-compatible endpoint in tests. */
  twilioApiUrl: url('TWILIO_API_URL', { default: 'https://api.twilio.com' }),
  fcmServiceAccount: parsed('FCM_SERVICE_ACCOUNT', parseServiceAccount, { optional: true, secret: true }),
  fcmApiUrl: url('FCM_API_URL', { default: 'https://fcm.googleapis.com' }),
  /** The design's retry rule: a message a provider refuses is tried this often, 1 s → 10 s apart. */
  deliveryMaxAttempts: int('DELIVERY_MAX_ATTEMPTS', { default: 3, min: 1, max: 20 }),
  deliveryRetryBaseMs: int('DELIVERY_RETRY_BASE_MS', { default: 1_000, min: 10 }),
  deliveryRetryMaxMs: int('DELIVERY_RETRY_MAX_MS', { default: 10_000, min: 10 }),
  /** While a provider cannot be reached, messages wait (they are not the problem) up to this long. */
  deliveryGiveUpAfterSeconds: int('DELIVERY_GIVE_UP_AFTER_SECONDS', { default: 86_400, min: 1 }),
  /** Events turned into deliveries at once: one order's events in order, different orders side by side. */
  consumerConcurrency: int('CONSUMER_CONCURRENCY', { default: 8, min: 1, max: 100 }),
  dispatchIntervalMs: int('DISPATCH_INTERVAL_MS', { default: 500, min: 10 }),
  dispatchConcurrency: int('DISPATCH_CONCURRENCY', { default: 16, min: 1, max: 100 }),
  /** Per provider: the design's breaker opens after 5 failures in 60 s. */
  breakerThreshold: int('BREAKER_THRESHOLD', { default: 5, min: 1 }),
  breakerWindowMs: int('BREAKER_WINDOW_MS', { default: 60_000, min: 100 }),
  breakerHalfOpenMs: int('BREAKER_HALF_OPEN_MS', { default: 10_000, min: 10 }),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
};

export type NotificationsConfig = ConfigOf<typeof shape>;

export const readConfig = (env: Record<string, string | undefined> = process.env): NotificationsConfig =>
  loadConfig('notifications', shape, env);

export const readMigrationConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig('notifications-migrate', { databaseUrl: str('DATABASE_URL') }, env);
