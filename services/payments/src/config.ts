import { bool, databaseTimeoutSettings, int, loadConfig, oneOf, str, url, type ConfigOf } from '@emporium/kit';

const shape = {
  host: str('HOST', { default: '127.0.0.1' }),
  port: int('PORT', { default: 5005, min: 0, max: 65535 }),
  logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace'], { default: 'info' }),
  databaseUrl: str('DATABASE_URL'),
  databasePoolSize: int('DATABASE_POOL_SIZE', { default: 10, min: 1, max: 100 }),
  ...databaseTimeoutSettings(),
  provider: oneOf('PAYMENT_PROVIDER', ['simulated', 'stripe'], { default: 'simulated' }),
  stripeSecretKey: str('STRIPE_SECRET_KEY', { optional: true }),
  /** The Stripe API base, e.g. http://127.0.0.1:12111 for stripe-mock; unset means api.stripe.com. */
  stripeApiBase: url('STRIPE_API_BASE', { optional: true }),
  stripeWebhookSecret: str('STRIPE_WEBHOOK_SECRET', { optional: true }),
  /** The provider call's timeout; an unanswered charge is settled later by asking, never by charging again. */
  providerTimeoutMs: int('PROVIDER_TIMEOUT_MS', { default: 5_000, min: 100 }),
  currency: str('CURRENCY', { default: 'usd' }),
  kafkaBrokers: str('KAFKA_BROKERS', { default: '127.0.0.1:9092' }),
  jwksUrl: url('JWKS_URL', { default: 'http://127.0.0.1:5001/.well-known/jwks.json' }),
  exitWithParent: bool('EMPORIUM_EXIT_WITH_PARENT', { default: false }),
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
