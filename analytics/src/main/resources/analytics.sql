-- The analytics job: views over `order_events` (declared by AnalyticsTables), one statement per `;`.
-- Definitions are SPEC's "Analytics" section; the anomaly rule is written down in analytics/README.md.
-- ${window} is the window length (5 minutes; ANALYTICS_WINDOW_SECONDS), ${window_ms} the same in milliseconds.

-- The first copy of each event_id; the outbox relay and Kafka are at least once, so copies do arrive.
CREATE TEMPORARY VIEW events AS
SELECT event_id, event_type, event_version, order_id, user_id, total_amount, status, region, amount, refund_amount,
       items, ts
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY proc_time ASC) AS copy_no
  FROM order_events
  WHERE event_id IS NOT NULL AND event_type IS NOT NULL
)
WHERE copy_no = 1;

-- An event is late when its window has closed: the watermark (the lateness behind the newest event) passed its end.
CREATE TEMPORARY VIEW late_events AS
SELECT event_id, event_type, order_id, ts, CURRENT_WATERMARK(ts) AS current_watermark
FROM events
WHERE ts <= TO_TIMESTAMP_LTZ(0, 3) OR window_end_of(ts, ${window_ms}) <= CURRENT_WATERMARK(ts);

CREATE TEMPORARY VIEW on_time AS
SELECT event_type, order_id, region, items, ts,
       CASE WHEN event_type = 'payment_succeeded' THEN cents(amount) ELSE 0 END AS paid_cents,
       CASE WHEN event_type = 'payment_refunded' THEN cents(refund_amount) ELSE 0 END AS refunded_cents
FROM events
WHERE ts > TO_TIMESTAMP_LTZ(0, 3) AND (CURRENT_WATERMARK(ts) IS NULL OR window_end_of(ts, ${window_ms}) > CURRENT_WATERMARK(ts));

CREATE TEMPORARY VIEW window_totals AS
SELECT window_start, window_end, window_time,
       COUNT(*) FILTER (WHERE event_type = 'order_created') AS orders_placed,
       COUNT(*) FILTER (WHERE event_type = 'payment_succeeded') AS orders_paid,
       COUNT(*) FILTER (WHERE event_type = 'payment_failed') AS payments_failed,
       SUM(paid_cents) - SUM(refunded_cents) AS revenue_cents
FROM TABLE(TUMBLE(TABLE on_time, DESCRIPTOR(ts), ${window}))
GROUP BY window_start, window_end, window_time;

CREATE TEMPORARY VIEW window_summary_results AS
SELECT 'window_summary' AS result_type, window_start, window_end,
       result_json('window_summary', window_start, window_end,
         'orders_placed', orders_placed,
         'orders_paid', orders_paid,
         'revenue', money(revenue_cents),
         'average_order_value',
         money(CASE WHEN orders_paid = 0 THEN 0 ELSE divide_cents(revenue_cents, orders_paid) END)
       ) AS result_value
FROM window_totals;

-- Window Top-N by quantity paid; ties go to the higher revenue, then the lower product_id, so a rerun ranks alike.
CREATE TEMPORARY VIEW paid_items AS
SELECT ts, i.product_id, i.product_name, i.quantity, i.price
FROM on_time CROSS JOIN UNNEST(items) AS i (product_id, product_name, category, quantity, price)
WHERE event_type = 'payment_succeeded';

CREATE TEMPORARY VIEW top_products_results AS
SELECT 'top_products' AS result_type, window_start, window_end,
       result_json('top_products', window_start, window_end,
         'rank', product_rank,
         'product_id', product_id,
         'product_name', product_name,
         'quantity', quantity,
         'revenue', money(revenue_cents)
       ) AS result_value
FROM (
  SELECT *, ROW_NUMBER() OVER (
           PARTITION BY window_start, window_end ORDER BY quantity DESC, revenue_cents DESC, product_id ASC
         ) AS product_rank
  FROM (
    SELECT window_start, window_end, product_id, MAX(product_name) AS product_name, SUM(quantity) AS quantity,
           SUM(quantity * cents(price)) AS revenue_cents
    FROM TABLE(TUMBLE(TABLE paid_items, DESCRIPTOR(ts), ${window}))
    GROUP BY window_start, window_end, product_id
  )
)
WHERE product_rank <= 10;

CREATE TEMPORARY VIEW orders_by_region_results AS
SELECT 'orders_by_region' AS result_type, window_start, window_end,
       result_json('orders_by_region', window_start, window_end,
         'region', region,
         'orders_paid', orders_paid,
         'revenue', money(revenue_cents)
       ) AS result_value
FROM (
  SELECT window_start, window_end, region,
         COUNT(*) FILTER (WHERE event_type = 'payment_succeeded') AS orders_paid,
         SUM(paid_cents) - SUM(refunded_cents) AS revenue_cents
  FROM TABLE(TUMBLE(TABLE on_time, DESCRIPTOR(ts), ${window}))
  WHERE event_type IN ('payment_succeeded', 'payment_refunded') AND region IS NOT NULL
  GROUP BY window_start, window_end, region
);

-- Peak hours: one message per UTC hour (an hour-long window), so a day's peak is the hour with the most paid orders.
CREATE TEMPORARY VIEW peak_hours_results AS
SELECT 'peak_hours' AS result_type, window_start, window_end,
       result_json('peak_hours', window_start, window_end,
         'hour', EXTRACT(HOUR FROM window_start),
         'orders_paid', orders_paid,
         'revenue', money(revenue_cents)
       ) AS result_value
FROM (
  SELECT window_start, window_end,
         COUNT(*) FILTER (WHERE event_type = 'payment_succeeded') AS orders_paid,
         SUM(paid_cents) - SUM(refunded_cents) AS revenue_cents
  FROM TABLE(TUMBLE(TABLE on_time, DESCRIPTOR(ts), INTERVAL '1' HOUR))
  GROUP BY window_start, window_end
);

-- Each window beside its previous 12 (sums over 13 rows minus the current one: Flink's OVER ends at CURRENT ROW).
CREATE TEMPORARY VIEW window_history AS
SELECT window_start, window_end, orders_placed, revenue, decline_share, attempts,
       COUNT(*) OVER w - 1 AS n,
       SUM(orders_placed) OVER w - orders_placed AS placed_sum,
       SUM(orders_placed * orders_placed) OVER w - orders_placed * orders_placed AS placed_sq,
       SUM(revenue) OVER w - revenue AS revenue_sum,
       SUM(revenue * revenue) OVER w - revenue * revenue AS revenue_sq,
       SUM(decline_share) OVER w - decline_share AS share_sum
FROM (
  SELECT window_start, window_end, window_time,
         CAST(orders_placed AS DOUBLE) AS orders_placed,
         CAST(revenue_cents AS DOUBLE) / 100 AS revenue,
         orders_paid + payments_failed AS attempts,
         CASE WHEN orders_paid + payments_failed = 0 THEN 0.0
              ELSE CAST(payments_failed AS DOUBLE) / (orders_paid + payments_failed) END AS decline_share
  FROM window_totals
)
WINDOW w AS (ORDER BY window_time ROWS BETWEEN 12 PRECEDING AND CURRENT ROW);

CREATE TEMPORARY VIEW anomalies AS
SELECT window_start, window_end, metric, `value`, expected, spread, n
FROM (
  SELECT window_start, window_end, 'orders_placed' AS metric, orders_placed AS `value`, placed_sum / n AS expected,
         GREATEST(std_dev(placed_sum, placed_sq, n), 1.0) AS spread, n
  FROM window_history WHERE n >= 6
  UNION ALL
  SELECT window_start, window_end, 'revenue', revenue, revenue_sum / n,
         GREATEST(std_dev(revenue_sum, revenue_sq, n), 0.1 * ABS(revenue_sum / n), 1.0), n
  FROM window_history WHERE n >= 6
)
WHERE ABS(`value` - expected) > 3 * spread
UNION ALL
SELECT window_start, window_end, 'decline_share', decline_share, CASE WHEN n = 0 THEN 0.0 ELSE share_sum / n END,
       CAST(NULL AS DOUBLE), n
FROM window_history
WHERE attempts >= 10 AND decline_share - CASE WHEN n = 0 THEN 0.0 ELSE share_sum / n END >= 0.25;

CREATE TEMPORARY VIEW anomaly_results AS
SELECT 'anomaly' AS result_type, window_start, window_end,
       anomaly_json(window_start, window_end, metric, `value`, expected, spread, n) AS result_value
FROM anomalies;

CREATE TEMPORARY VIEW all_results AS
SELECT * FROM window_summary_results
UNION ALL SELECT * FROM top_products_results
UNION ALL SELECT * FROM orders_by_region_results
UNION ALL SELECT * FROM peak_hours_results
UNION ALL SELECT * FROM anomaly_results;

-- Kafka key: the result type and window start, so one window's messages of one type share a partition.
INSERT INTO analytics_results
SELECT CONCAT(result_type, ':', iso(window_start)), result_value FROM all_results;

INSERT INTO results_lake
SELECT result_value, DATE_FORMAT(window_start, 'yyyy-MM-dd'), DATE_FORMAT(window_start, 'HH') FROM all_results;

-- The raw-event lake keeps every distinct event, late ones included, by the date and hour it happened.
INSERT INTO events_lake
SELECT event_json(event_id, event_type, event_version, order_id, user_id, total_amount, status, region, amount,
         refund_amount, items, iso_ltz(ts)),
       DATE_FORMAT(ts, 'yyyy-MM-dd'), DATE_FORMAT(ts, 'HH')
FROM events;

-- Late events: a warning each and the lateEventsDropped counter (LateEventLog), then nothing.
INSERT INTO late_event_log
SELECT log_late_event(event_id, event_type, order_id, ts, current_watermark) FROM late_events;
