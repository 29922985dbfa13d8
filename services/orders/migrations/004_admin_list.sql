-- The admin console lists every order newest first, often by status.
CREATE INDEX orders_status_idx ON orders (status, id DESC) WHERE placed_at IS NOT NULL;
