-- The order row is the checkout saga: the step it is at, which way it runs (forward, or undoing after a
-- cancel), its attempts and next attempt, the last error, and a lease so one runner at a time moves it.
-- The request claims the Idempotency-Key by inserting this row first; `placed_at` is set once stock is
-- reserved, and only placed rows are orders a customer can see.
ALTER TABLE orders
  ADD COLUMN step VARCHAR(30) NOT NULL DEFAULT 'done'
    CHECK (step IN ('reserve_stock', 'take_payment', 'settle_stock', 'confirm_order', 'done')),
  ADD COLUMN compensating BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at TIMESTAMPTZ,
  ADD COLUMN last_error TEXT,
  ADD COLUMN lease_owner UUID,
  ADD COLUMN lease_until TIMESTAMPTZ,
  ADD COLUMN placed_at TIMESTAMPTZ,
  ADD COLUMN requested_items JSONB;

UPDATE orders SET placed_at = created_at;
-- Work the reconciler of 001 still owed becomes saga work.
UPDATE orders SET step = 'take_payment', next_attempt_at = now() WHERE status = 'pending';
UPDATE orders SET step = 'settle_stock', next_attempt_at = now() WHERE status = 'processing' AND stock_settled_at IS NULL;
UPDATE orders SET compensating = true, next_attempt_at = now(),
    step = CASE WHEN payment_id IS NOT NULL AND refund_settled_at IS NULL THEN 'take_payment' ELSE 'reserve_stock' END
  WHERE status = 'cancelled' AND (stock_settled_at IS NULL OR (payment_id IS NOT NULL AND refund_settled_at IS NULL));
ALTER TABLE orders DROP COLUMN stock_settled_at, DROP COLUMN refund_settled_at;

-- Recovery looks only at unfinished sagas that are due.
CREATE INDEX orders_saga_due_idx ON orders (next_attempt_at) WHERE step <> 'done';
