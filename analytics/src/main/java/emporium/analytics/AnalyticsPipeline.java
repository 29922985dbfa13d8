package emporium.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.config.OptimizerConfigOptions;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/** Declares the tables, runs analytics.sql's views and collects its INSERTs (the late-event log too) into one job. */
public final class AnalyticsPipeline {
  private AnalyticsPipeline() {}

  public static StreamStatementSet define(
      StreamTableEnvironment tEnv,
      Map<String, String> source,
      Map<String, String> results,
      String storageUrl,
      Duration lakeRollover) {
    return define(tEnv, source, results, storageUrl, lakeRollover, Windows.DEFAULT);
  }

  public static StreamStatementSet define(
      StreamTableEnvironment tEnv,
      Map<String, String> source,
      Map<String, String> results,
      String storageUrl,
      Duration lakeRollover,
      Windows windows) {
    tEnv.getConfig().setLocalTimeZone(ZoneOffset.UTC);
    // The INSERTs inline the same views: found by digest, `events` (source, dedupe) and `window_totals` are planned
    // once and shared. Without it each INSERT pruned the dedupe's columns its own way: five shuffles and dedupes.
    tEnv.getConfig().set(OptimizerConfigOptions.TABLE_OPTIMIZER_REUSE_OPTIMIZE_BLOCK_WITH_DIGEST_ENABLED, true);
    SqlFunctions.register(tEnv);
    tEnv.createTemporarySystemFunction("log_late_event", LateEventLog.class);
    tEnv.executeSql(AnalyticsTables.orderEvents(source, windows));
    tEnv.executeSql(AnalyticsTables.results(results));
    tEnv.executeSql(AnalyticsTables.resultsLake(storageUrl, lakeRollover));
    tEnv.executeSql(AnalyticsTables.eventsLake(storageUrl, lakeRollover));
    tEnv.executeSql("CREATE TABLE late_event_log (logged BOOLEAN) WITH ('connector' = 'blackhole')");
    StreamStatementSet set = tEnv.createStatementSet();
    for (String statement : statements(windows)) {
      if (statement.startsWith("INSERT")) set.addInsertSql(statement);
      else tEnv.executeSql(statement);
    }
    return set;
  }

  /** analytics.sql's statements, its ${window} (an interval literal) and ${window_ms} filled in. */
  static List<String> statements(Windows windows) {
    try (InputStream in = AnalyticsPipeline.class.getResourceAsStream("/analytics.sql")) {
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String withoutComments =
          sql.lines()
              .filter(l -> !l.stripLeading().startsWith("--"))
              .collect(Collectors.joining("\n"))
              .replace("${window}", Windows.interval(windows.size()))
              .replace("${window_ms}", String.valueOf(windows.size().toMillis()));
      return Arrays.stream(withoutComments.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new IllegalStateException("analytics.sql is missing from the class path", e);
    }
  }
}
