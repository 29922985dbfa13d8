package emporium.analytics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The tables analytics.sql reads and writes; only their connectors differ between Kafka, tests and storage. */
public final class AnalyticsTables {
  static final String ITEM =
      "ROW<product_id BIGINT, product_name STRING, category STRING, quantity INT, price DECIMAL(12, 2)>";

  private AnalyticsTables() {}

  /** The `orders` events (SPEC "Events"); a missing or unreadable timestamp reads as the epoch: dropped as late. */
  public static String orderEvents(Map<String, String> with, Windows windows) {
    return "CREATE TABLE order_events (\n"
        + "  event_id STRING, event_type STRING, event_version INT, order_id BIGINT, user_id BIGINT,\n"
        + "  total_amount DECIMAL(12, 2), status STRING, region STRING, amount DECIMAL(12, 2),\n"
        + "  refund_amount DECIMAL(12, 2), items ARRAY<" + ITEM + ">, `timestamp` TIMESTAMP_LTZ(3),\n"
        + "  ts AS COALESCE(`timestamp`, TO_TIMESTAMP_LTZ(0, 3)),\n"
        + "  proc_time AS PROCTIME(),\n"
        + "  WATERMARK FOR ts AS ts - " + Windows.interval(windows.lateness()) + "\n"
        + ") WITH (" + options(with) + ")";
  }

  public static Map<String, String> kafkaSource(JobConfig config) {
    Map<String, String> with = new LinkedHashMap<>();
    with.put("connector", "kafka");
    with.put("topic", config.sourceTopic());
    with.put("properties.bootstrap.servers", config.kafkaBrokers());
    with.put("properties.group.id", config.groupId());
    with.put("properties.isolation.level", "read_committed");
    // Offsets come from the checkpoint when restoring; a first start reads the topic from its beginning.
    with.put("scan.startup.mode", "group-offsets");
    with.put("properties.auto.offset.reset", "earliest");
    // A partition without events holds the watermark back only this long (a short timeout dropped events).
    with.put("scan.watermark.idle-timeout", config.windows().idleTimeout().toMillis() + " ms");
    with.putAll(json("value.", true));
    return with;
  }

  /** A JSON-lines file of events: the JUnit tests and the benchmark's bounded runs. */
  public static Map<String, String> fileSource(String path) {
    Map<String, String> with = new LinkedHashMap<>();
    with.put("connector", "filesystem");
    with.put("path", path);
    with.putAll(json("", true));
    return with;
  }

  public static String results(Map<String, String> with) {
    return "CREATE TABLE analytics_results (result_key STRING, result_value STRING) WITH (" + options(with) + ")";
  }

  /** Transactions commit with each checkpoint: a read_committed consumer sees every result once. */
  public static Map<String, String> kafkaResults(JobConfig config) {
    Map<String, String> with = new LinkedHashMap<>();
    with.put("connector", "kafka");
    with.put("topic", config.resultsTopic());
    with.put("properties.bootstrap.servers", config.kafkaBrokers());
    with.put("key.format", "raw");
    with.put("key.fields", "result_key");
    with.put("value.format", "raw");
    with.put("value.fields-include", "EXCEPT_KEY");
    with.put("sink.delivery-guarantee", "exactly-once");
    with.put("sink.transactional-id-prefix", config.transactionalIdPrefix());
    // Under the broker's transaction.max.timeout.ms (15 min by default), well over a checkpoint interval.
    with.put("properties.transaction.timeout.ms", "600000");
    return with;
  }

  public static Map<String, String> discard() {
    return Map.of("connector", "blackhole");
  }

  /** Results as JSON lines under <storage>/results/dt=YYYY-MM-DD/hr=HH, committed with each checkpoint. */
  public static String resultsLake(String storageUrl, Duration rollover) {
    return "CREATE TABLE results_lake (result_value STRING, dt STRING, hr STRING) PARTITIONED BY (dt, hr) WITH ("
        + options(lake(storageUrl + "/results", "raw", rollover))
        + ")";
  }

  /** Every distinct event as a JSON line (EventJson writes what the JSON format wrote for the event's columns). */
  public static String eventsLake(String storageUrl, Duration rollover) {
    return "CREATE TABLE events_lake (event_json BYTES, dt STRING, hr STRING) PARTITIONED BY (dt, hr) WITH ("
        + options(lake(storageUrl + "/lake/order-events", "raw", rollover))
        + ")";
  }

  private static Map<String, String> lake(String path, String format, Duration rollover) {
    Map<String, String> with = new LinkedHashMap<>();
    with.put("connector", "filesystem");
    with.put("path", path);
    with.put("format", format);
    with.put("sink.rolling-policy.rollover-interval", rollover.toMillis() + " ms");
    with.put("sink.rolling-policy.check-interval", Math.max(1000, rollover.toMillis() / 2) + " ms");
    with.put("sink.partition-commit.policy.kind", "success-file");
    return with;
  }

  private static Map<String, String> json(String prefix, boolean isLenient) {
    Map<String, String> with = new LinkedHashMap<>();
    with.put(prefix.isEmpty() ? "format" : prefix + "format", "json");
    with.put(prefix + "json.timestamp-format.standard", "ISO-8601");
    with.put(prefix + "json.encode.decimal-as-plain-number", "true");
    // A message that is not JSON is skipped rather than failing the job; its missing fields read as null.
    if (isLenient) with.put(prefix + "json.ignore-parse-errors", "true");
    return with;
  }

  private static String options(Map<String, String> with) {
    return with.entrySet().stream()
        .map(e -> "'" + e.getKey().replace("'", "''") + "' = '" + e.getValue().replace("'", "''") + "'")
        .collect(Collectors.joining(", "));
  }
}
