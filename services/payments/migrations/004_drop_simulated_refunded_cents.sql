-- Never written: the simulated provider keeps its refunds in simulated_refunds, so this column always read 0.
ALTER TABLE simulated_charges DROP COLUMN refunded_cents;
