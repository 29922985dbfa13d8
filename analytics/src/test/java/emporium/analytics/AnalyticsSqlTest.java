package emporium.analytics;

import static emporium.analytics.Events.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's SQL over one bounded run (one MiniCluster for every case: Flink takes seconds to start). */
class AnalyticsSqlTest {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
  private static final List<JsonNode> results = new ArrayList<>();
  private static LogCapture lateLog;
  private static String lateEventLine;
  private static String paidEventLine;
  @TempDir static Path dir;
  private static String storage;

  @BeforeAll
  static void runJobOverScenarios() throws Exception {
    Path input = dir.resolve("events.jsonl");
    Files.write(input, scenarios());
    lateLog = LogCapture.attach(LateEventLog.class);
    long planStart = System.nanoTime();
    Configuration conf = new Configuration();
    // A watermark after every event that moves it, so "late" depends on the order of the file alone.
    conf.setString("pipeline.auto-watermark-interval", "0 ms");
    conf.setString("execution.checkpointing.interval", "1 s");
    conf.setString("parallelism.default", "1");
    // Under npm test, storage (checkpoints, results, lake) is gs:// on fake-gcs-server; alone, a local folder.
    String gcs = System.getenv("EMPORIUM_TEST_GCS_URL");
    storage =
        gcs == null
            ? dir.resolve("storage").toUri().toString().replaceAll("/$", "")
            : "gs://" + System.getenv("EMPORIUM_TEST_GCS_BUCKET") + "/sql-test";
    if (gcs != null) {
      conf.setString("gs.storage.root.url", gcs);
      conf.setString("gs.auth.service.account.enable", "false");
      conf.setString("gs.auth.null.enable", "true");
      conf.setString("gs.writer.chunk.size", "1m");
    }
    conf.setString("execution.checkpointing.dir", storage + "/checkpoints");
    FileSystem.initialize(conf, null);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
    var set = AnalyticsPipeline.define(
            tEnv,
            AnalyticsTables.fileSource(input.toString()),
            AnalyticsTables.discard(),
            storage,
            Duration.ofSeconds(1));
    set.attachAsDataStream();
    System.out.printf("planned in %d ms%n", (System.nanoTime() - planStart) / 1_000_000);
    long start = System.nanoTime();
    env.execute("analytics-sql-test");
    System.out.printf("job ran in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    for (String line : committedLines(storage + "/results")) results.add(JSON.readTree(line));
  }

  /** Lines of the committed files under a folder (not in-progress ".part" files, not _SUCCESS markers). */
  static List<String> committedLines(String folder) throws IOException {
    List<String> lines = new ArrayList<>();
    org.apache.flink.core.fs.Path root = new org.apache.flink.core.fs.Path(folder);
    FileSystem fs = root.getFileSystem();
    if (!fs.exists(root)) return lines;
    for (FileStatus status : fs.listStatus(root)) {
      String name = status.getPath().getName();
      if (status.isDir()) lines.addAll(committedLines(status.getPath().toString()));
      else if (!name.startsWith(".") && !name.equals("_SUCCESS")) {
        try (FSDataInputStream in = fs.open(status.getPath())) {
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(lines::add);
        }
      }
    }
    return lines;
  }

  /** Scenarios in event-time order, each in windows of its own; times are UTC on 2025-03-01 and -02. */
  private static List<String> scenarios() {
    Events day1 = new Events("2025-03-01");
    // Window 10:00-10:05: a duplicate, a refund, three regions, Top-N ties, one event out of order.
    day1.created(1, "10:00:10", "GB", item(1, 2, "10.00"));
    String paid1 = day1.paid(1, "10:00:20", "GB", "20.00", item(1, 2, "10.00"));
    day1.repeat(paid1);
    paidEventLine = paid1;
    day1.created(2, "10:01:00", "DE", item(2, 2, "5.00"));
    day1.paid(2, "10:01:30", "DE", "10.00", item(2, 2, "5.00"));
    day1.created(3, "10:02:00", "GB", item(3, 1, "7.50"));
    day1.paid(3, "10:02:30", "GB", "7.50", item(3, 1, "7.50"));
    day1.refunded(3, "10:03:00", "GB", "7.50", item(3, 1, "7.50"));
    day1.paid(7, "10:03:30", "DE", "7.50", item(9, 1, "7.50"));
    day1.created(4, "10:04:50", "FR", item(4, 3, "1.00"));
    day1.created(5, "10:05:15", "GB", item(1, 1, "10.00")); // watermark 10:04:45: 10:00-10:05 still open
    day1.paid(4, "10:04:50", "FR", "3.00", item(4, 3, "1.00")); // 25 s behind the newest: counted
    day1.created(8, "10:05:40", "GB", item(1, 1, "10.00")); // watermark 10:05:10: 10:00-10:05 closes
    lateEventLine = day1.paid(6, "10:04:00", "GB", "99.00", item(5, 1, "99.00")); // its window closed: dropped
    // The hour of 11:00 has three paid orders, 12:00 one: 11 is the peak after 10 (five).
    day1.paid(11, "11:10:00", "GB", "10.00", item(1, 1, "10.00"));
    day1.paid(12, "11:20:00", "GB", "10.00", item(1, 1, "10.00"));
    day1.paid(13, "11:40:00", "GB", "10.00", item(1, 1, "10.00"));
    day1.paid(14, "12:01:00", "GB", "5.00", item(2, 1, "5.00"));

    // Twelve calm windows (4-6 orders of 10.00), then a spike of 40, then a wave of declines.
    Events day2 = new Events("2025-03-02");
    int[] calm = {4, 5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5};
    long order = 1000;
    for (int w = 0; w < calm.length; w++) {
      for (int i = 0; i < calm[w]; i++, order++) {
        String time = String.format("00:%02d:%02d", w * 5 + 1, i * 5);
        day2.created(order, time, "GB", item(1, 1, "10.00"));
        day2.paid(order, time, "GB", "10.00", item(1, 1, "10.00"));
      }
    }
    for (int i = 0; i < 40; i++, order++) {
      String time = String.format("01:01:%02d", i);
      day2.created(order, time, "GB", item(1, 1, "10.00"));
      day2.paid(order, time, "GB", "10.00", item(1, 1, "10.00"));
    }
    for (int i = 0; i < 12; i++, order++) {
      String time = String.format("01:06:%02d", i);
      day2.created(order, time, "GB", item(1, 1, "10.00"));
      if (i < 2) day2.paid(order, time, "GB", "10.00", item(1, 1, "10.00"));
      else day2.failed(order, time, "GB", "10.00");
    }
    day2.raw("this is not JSON"); // skipped, the job keeps running
    List<String> all = new ArrayList<>(day1.lines());
    all.addAll(day2.lines());
    return all;
  }

  private static List<JsonNode> find(String type, String windowStart) {
    return results.stream()
        .filter(r -> r.get("result_type").asText().equals(type))
        .filter(r -> r.get("window_start").asText().equals(windowStart))
        .toList();
  }

  private static JsonNode only(String type, String windowStart) {
    List<JsonNode> found = find(type, windowStart);
    assertEquals(1, found.size(), type + " at " + windowStart + ": " + found);
    return found.get(0);
  }

  private static BigDecimal money(JsonNode node, String field) {
    return node.get(field).decimalValue();
  }

  @Test
  void summaryCountsEachEventOnceAndTheOutOfOrderOneAndSubtractsRefunds() {
    JsonNode w = only("window_summary", "2025-03-01T10:00:00.000Z");
    assertEquals("2025-03-01T10:05:00.000Z", w.get("window_end").asText());
    assertEquals(4, w.get("orders_placed").asInt());
    assertEquals(5, w.get("orders_paid").asInt(), "the duplicate once, the 25 s out-of-order payment counted");
    // 20.00 + 10.00 + 7.50 + 7.50 + 3.00 paid, 7.50 refunded; the late 99.00 is not in it
    assertEquals(new BigDecimal("40.50"), money(w, "revenue"));
    assertEquals(new BigDecimal("8.10"), money(w, "average_order_value"));
    assertTrue(w.toString().contains("\"revenue\":40.50,"), "two decimals on the wire: " + w);
  }

  @Test
  void aWindowWithNothingPaidHasZeroRevenue() {
    JsonNode w = only("window_summary", "2025-03-01T10:05:00.000Z");
    assertEquals(2, w.get("orders_placed").asInt());
    assertEquals(0, w.get("orders_paid").asInt());
    assertEquals(new BigDecimal("0.00"), money(w, "revenue"));
    assertEquals(new BigDecimal("0.00"), money(w, "average_order_value"));
  }

  @Test
  void lateEventIsDroppedAndLogged() {
    String eventId = lateEventLine.substring(13, 49);
    assertTrue(
        lateLog.messages.stream().anyMatch(m -> m.contains("late event dropped: event_id=" + eventId)),
        "logged: " + lateLog.messages);
    assertEquals(1, lateLog.messages.size(), "only the late one: " + lateLog.messages);
    assertTrue(find("top_products", "2025-03-01T10:00:00.000Z").stream()
        .noneMatch(r -> r.get("product_id").asInt() == 5));
  }

  @Test
  void topProductsRankByQuantityWithTiesBrokenByRevenueThenProductId() {
    List<JsonNode> top = new ArrayList<>(find("top_products", "2025-03-01T10:00:00.000Z"));
    top.sort((a, b) -> a.get("rank").asInt() - b.get("rank").asInt());
    List<String> ranked =
        top.stream()
            .map(r -> r.get("rank").asInt() + ":" + r.get("product_id").asInt() + ":" + r.get("quantity").asInt()
                + ":" + r.get("revenue").decimalValue())
            .toList();
    assertEquals(List.of("1:4:3:3.00", "2:1:2:20.00", "3:2:2:10.00", "4:3:1:7.50", "5:9:1:7.50"), ranked);
    assertEquals("Product 4", top.get(0).get("product_name").asText());
  }

  @Test
  void topProductsStopAtTen() {
    assertTrue(find("top_products", "2025-03-02T01:00:00.000Z").size() <= 10);
    assertEquals(1, find("top_products", "2025-03-02T01:00:00.000Z").size());
  }

  @Test
  void regionsCountPaidOrdersAndNetRevenue() {
    Map<String, String> byRegion = new java.util.TreeMap<>();
    for (JsonNode r : find("orders_by_region", "2025-03-01T10:00:00.000Z")) {
      byRegion.put(r.get("region").asText(), r.get("orders_paid").asInt() + "/" + r.get("revenue").decimalValue());
    }
    assertEquals(Map.of("DE", "2/17.50", "FR", "1/3.00", "GB", "2/20.00"), byRegion);
  }

  @Test
  void peakHoursCountPaidOrdersPerUtcHour() {
    JsonNode ten = only("peak_hours", "2025-03-01T10:00:00.000Z");
    JsonNode eleven = only("peak_hours", "2025-03-01T11:00:00.000Z");
    JsonNode twelve = only("peak_hours", "2025-03-01T12:00:00.000Z");
    assertEquals("2025-03-01T11:00:00.000Z", ten.get("window_end").asText());
    assertEquals(
        List.of(10, 11, 12),
        List.of(ten.get("hour").asInt(), eleven.get("hour").asInt(), twelve.get("hour").asInt()));
    assertEquals(5, ten.get("orders_paid").asInt());
    assertEquals(3, eleven.get("orders_paid").asInt());
    assertEquals(new BigDecimal("30.00"), money(eleven, "revenue"));
    assertEquals(1, twelve.get("orders_paid").asInt());
  }

  @Test
  void aSpikeOfPlacedOrdersAndRevenueIsAnAnomaly() {
    List<JsonNode> spike = find("anomaly", "2025-03-02T01:00:00.000Z");
    Map<String, JsonNode> byMetric = new java.util.HashMap<>();
    spike.forEach(a -> byMetric.put(a.get("metric").asText(), a));
    assertEquals(java.util.Set.of("orders_placed", "revenue"), byMetric.keySet(), spike.toString());
    assertEquals(40.0, byMetric.get("orders_placed").get("value").asDouble());
    assertEquals(5.0, byMetric.get("orders_placed").get("expected").asDouble());
    assertEquals(400.0, byMetric.get("revenue").get("value").asDouble());
    assertEquals(50.0, byMetric.get("revenue").get("expected").asDouble());
    String reason = byMetric.get("orders_placed").get("reason").asText();
    assertTrue(reason.contains("above the mean 5.00 of the previous 12 windows"), reason);
  }

  @Test
  void calmWindowsAreNoAnomaly() {
    assertTrue(find("anomaly", "2025-03-02T00:55:00.000Z").isEmpty());
    assertTrue(find("anomaly", "2025-03-02T00:50:00.000Z").isEmpty());
  }

  @Test
  void aWaveOfDeclinesIsAnAnomaly() {
    List<JsonNode> found = find("anomaly", "2025-03-02T01:05:00.000Z");
    JsonNode share =
        found.stream().filter(a -> a.get("metric").asText().equals("decline_share")).findFirst().orElseThrow();
    assertEquals(0.8333, share.get("value").asDouble());
    assertEquals(0.0, share.get("expected").asDouble());
  }

  @Test
  void rawEventsLandInTheLakeOncePartitionedByDateAndHour() throws IOException {
    List<String> lines = committedLines(storage + "/lake/order-events/dt=2025-03-01/hr=10");
    assertEquals(13, lines.size(), "every distinct event of 10:xx, the late one included, the duplicate once");
    // The bytes the JSON format wrote for the event's columns, kept as they were (decimals with their two places).
    String eventId = JSON.readTree(paidEventLine).get("event_id").asText();
    String expected = "{\"event_id\":\"" + eventId + "\",\"event_type\":\"payment_succeeded\",\"event_version\":1,"
        + "\"order_id\":1,\"user_id\":7,\"total_amount\":1.00,\"status\":\"succeeded\",\"region\":\"GB\",\"amount\":20.00,"
        + "\"refund_amount\":null,\"items\":[{\"product_id\":1,\"product_name\":\"Product 1\",\"category\":\"Books\","
        + "\"quantity\":2,\"price\":10.00}],\"timestamp\":\"2025-03-01T10:00:20.000Z\"}";
    assertEquals(List.of(expected), lines.stream().filter(l -> l.contains(eventId)).toList());
    assertEquals(5, committedLines(storage + "/results/dt=2025-03-01/hr=10").stream()
        .filter(l -> l.contains("top_products")).count());
    assertTrue(committedLines(storage + "/results/dt=1970-01-01").isEmpty());
  }
}
