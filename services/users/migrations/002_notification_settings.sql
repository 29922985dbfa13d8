-- What a customer wants to hear about, kept with the rest of their profile (decision 0015): email on,
-- SMS off (and only ever with a phone number), push on for registered devices, promotions off.
ALTER TABLE users
  ADD COLUMN notify_email BOOLEAN NOT NULL DEFAULT true,
  ADD COLUMN notify_sms BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN notify_push BOOLEAN NOT NULL DEFAULT true,
  ADD COLUMN notify_promotional BOOLEAN NOT NULL DEFAULT false;

-- A device token belongs to one account at a time: registering it again moves it to the new account.
CREATE TABLE push_tokens (
  token TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  platform TEXT NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX push_tokens_user_idx ON push_tokens (user_id);

-- Password-reset requests leave as `notification_requested` events through this outbox (the messaging
-- package's OUTBOX_DDL), committed with the reset token they carry.
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
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
