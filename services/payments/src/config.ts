import {
  bool,
  int,
  loadConfig,
  oneOf,
  parsed,
  parseTrustedServiceKeys,
  str,
  url,
  type ConfigOf,
  serverSettings,
  databaseSettings,
} from '@emporium/kit';
import { flagSettings } from '@emporium/kit';

const shape = {
  ...serverSettings(5005),
  ...databaseSettings(10),
  provider: oneOf('PAYMENT_PROVIDER', ['simulated', 'stripe'], { default: 'simulated' }),
  stripeSecretKey: str('STRIPE_SECRET_KEY', { optional: true }),
  /** The Stripe API base, e.g. http://127.0.0.1:12111 for stripe-mock; unset means api.stripe.com. */
  stripeApiBase: url('STRIPE_API_BASE', { optional: true }),
  stripeWebhookSecret: str('STRIPE_WEBHOOK_SECRET', { optional: true }),
  /** The provider call's timeout; an unanswered charge is settled later by asking, never by charging again. */
  providerTimeoutMs: int('PROVIDER_TIMEOUT_MS', { default: 5_000, min: 100 }),
  /** A pending payment the provider never saw is voided (on an order's cancel) only after this long. */
  voidGraceSeconds: int('VOID_GRACE_SECONDS', { default: 120, min: 1 }),
  currency: str('CURRENCY', { default: 'usd' }),
  kafkaBrokers: str('KAFKA_BROKERS', { default: '127.0.0.1:9092' }),
  /** The design's Kafka producer timeout. */
  kafkaTimeoutMs: int('KAFKA_TIMEOUT_MS', { default: 10_000, min: 100 }),
  jwksUrl: url('JWKS_URL', { default: 'http://127.0.0.1:5001/.well-known/jwks.json' }),
  /** Public keys of the services that may call internal routes: `{"orders": <Ed25519 public JWK>}`. */
  trustedServiceKeys: parsed('SERVICE_TRUSTED_KEYS', parseTrustedServiceKeys),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
  /** FLAGS_FILE, FLAGS_POLL_MS and the environment that refuses them (docs/failure-flags.md). */
  ...flagSettings,
};

export type PaymentsConfig = ConfigOf<typeof shape>;

export function readConfig(env: Record<string, string | undefined> = process.env): PaymentsConfig {
  const config = loadConfig('payments', shape, env);
  if (config.provider === 'stripe' && !config.stripeSecretKey) {
    throw new Error('payments: invalid configuration:\n  - STRIPE_SECRET_KEY is required when PAYMENT_PROVIDER=stripe');
  }
  return config;
}

export const readMigrationConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig('payments-migrate', { databaseUrl: str('DATABASE_URL') }, env);
