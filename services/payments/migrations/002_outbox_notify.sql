-- The outbox relay is woken at commit by a notification. A statement trigger sends it inside
-- PostgreSQL, so enqueueing an event costs one round trip (the INSERT) instead of two.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
