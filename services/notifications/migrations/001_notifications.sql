-- The delivery log: one row per event, channel and recipient, so each event yields at most one message per
-- channel however often Kafka delivers it. The row is also the work queue the dispatcher sends from.
CREATE TABLE deliveries (
  id BIGSERIAL PRIMARY KEY,
  event_id UUID NOT NULL,
  -- Where the event came from (for the dead-letter topic) and the event itself, so a dead row can be retried.
  source_topic TEXT NOT NULL,
  event JSONB NOT NULL,
  notification_type TEXT NOT NULL,
  -- 'none': the event could not be turned into any message (no such user, a broken event).
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'push', 'none')),
  recipient TEXT NOT NULL,
  user_id INTEGER,
  subject TEXT,
  body_text TEXT,
  body_html TEXT,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'dead', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  locked_until TIMESTAMPTZ,
  provider_message_id TEXT,
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  sent_at TIMESTAMPTZ,
  UNIQUE (event_id, channel, recipient)
);
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE status IN ('queued', 'failed');
CREATE INDEX deliveries_user_idx ON deliveries (user_id, id DESC);
CREATE INDEX deliveries_status_idx ON deliveries (status, id DESC);

-- Event ids this consumer has handled (the messaging package's de-duplication store).
CREATE TABLE IF NOT EXISTS processed_events (
  consumer TEXT NOT NULL,
  event_id UUID NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
