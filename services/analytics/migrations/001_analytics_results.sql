-- Every result the Flink job published, one row per result type, window and item (rank, region, hour,
-- metric; '' for the window's summary). `payload` holds the type's own fields as the job sent them.
CREATE SEQUENCE analytics_feed_seq;

CREATE TABLE analytics_results (
  id BIGSERIAL PRIMARY KEY,
  result_type TEXT NOT NULL
    CHECK (result_type IN ('window_summary', 'top_products', 'orders_by_region', 'peak_hours', 'anomaly')),
  window_start TIMESTAMPTZ NOT NULL,
  window_end TIMESTAMPTZ NOT NULL CHECK (window_end > window_start),
  item_key TEXT NOT NULL,
  payload JSONB NOT NULL,
  -- 1 when first stored; a different result for the same key later replaces it and counts up.
  revision INTEGER NOT NULL DEFAULT 1,
  -- The live stream's position: taken under a lock at every insert or revision, so it grows in commit order.
  seq BIGINT NOT NULL UNIQUE,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (result_type, window_start, item_key)
);
CREATE INDEX analytics_results_window_idx ON analytics_results (window_start DESC, result_type);

-- What a revision replaced, so a number that changed on the dashboard can be explained.
CREATE TABLE analytics_result_revisions (
  result_id BIGINT NOT NULL REFERENCES analytics_results (id),
  revision INTEGER NOT NULL,
  window_end TIMESTAMPTZ NOT NULL,
  payload JSONB NOT NULL,
  received_at TIMESTAMPTZ NOT NULL,
  replaced_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (result_id, revision)
);

-- Every replica's live stream is woken at commit (LISTEN/NOTIFY), whichever replica stored the result.
CREATE FUNCTION analytics_results_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('analytics_results', '');
  RETURN NULL;
END $$;
CREATE TRIGGER analytics_results_notify AFTER INSERT OR UPDATE ON analytics_results
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_results_notify();
