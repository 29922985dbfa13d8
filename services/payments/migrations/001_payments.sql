-- The design's payments table, plus who paid, the provider, refunds so far and the order facts that
-- payment events carry (the order service hands them over with the charge).
CREATE TABLE payments (
  id SERIAL PRIMARY KEY,
  order_id INTEGER UNIQUE NOT NULL,
  user_id INTEGER NOT NULL,
  amount DECIMAL(10, 2) NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL DEFAULT 'usd',
  payment_method VARCHAR(50),
  provider VARCHAR(20) NOT NULL,
  transaction_id VARCHAR(100) UNIQUE,
  status VARCHAR(50) NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded', 'partially_refunded')),
  refunded_amount DECIMAL(10, 2) NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  failure_code VARCHAR(100),
  order_snapshot JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payments_user_idx ON payments (user_id);

CREATE TABLE refunds (
  id SERIAL PRIMARY KEY,
  payment_id INTEGER NOT NULL REFERENCES payments(id),
  amount DECIMAL(10, 2) NOT NULL CHECK (amount > 0),
  idempotency_key VARCHAR(200) UNIQUE NOT NULL,
  provider_refund_id VARCHAR(100),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX refunds_payment_idx ON refunds (payment_id);

-- The simulated provider's own ledger: like a real provider it remembers every idempotency key.
CREATE TABLE simulated_charges (
  idempotency_key VARCHAR(200) PRIMARY KEY,
  amount_cents BIGINT NOT NULL,
  payment_method VARCHAR(50) NOT NULL,
  status VARCHAR(20) NOT NULL,
  transaction_id VARCHAR(100),
  failure_code VARCHAR(100),
  refunded_cents BIGINT NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE simulated_refunds (
  idempotency_key VARCHAR(200) PRIMARY KEY,
  charge_key VARCHAR(200) NOT NULL REFERENCES simulated_charges(idempotency_key),
  amount_cents BIGINT NOT NULL,
  refund_id VARCHAR(100) NOT NULL
);

CREATE TABLE outbox (
  id BIGSERIAL PRIMARY KEY,
  topic TEXT NOT NULL,
  message_key TEXT NOT NULL,
  event_id UUID NOT NULL UNIQUE,
  event_type TEXT NOT NULL,
  payload JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
  published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
