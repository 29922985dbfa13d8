-- Stripe delivers an event at least once (and anyone holding a captured one can send it again): each event id
-- that was handled is kept, so a second delivery is answered 200 and changes nothing.
CREATE TABLE stripe_events (
  event_id VARCHAR(255) PRIMARY KEY,
  type VARCHAR(100) NOT NULL,
  handled_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
