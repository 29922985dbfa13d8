-- The admin console's notification log filters deliveries by order (order events carry a top-level order_id).
CREATE INDEX deliveries_order_idx ON deliveries ((event ->> 'order_id'), id DESC);
