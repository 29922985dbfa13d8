package emporium.analytics.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;

/** Flink's registered metrics as Prometheus text: the job's summary (emporium_analytics_*), then each as flink_*. */
final class FlinkMetrics {
  private FlinkMetrics() {}

  static String render(Iterable<MetricsExporter.Registered> metrics, MetricsExporter exporter) {
    StringBuilder out = new StringBuilder();
    long now = System.currentTimeMillis();
    gauge(out, "job_running", "1 while the job runs", exporter.isJobRunning() ? 1 : 0);
    counter(out, "events_in_total", "order events read from Kafka", sourceRecords(metrics));
    counter(out, "results_out_total", "result messages written to analytics-results", results(metrics));
    counter(out, "late_events_dropped_total", "events whose window had closed", late(metrics));
    Long watermark = minWatermark(metrics);
    if (watermark != null) {
      gauge(out, "watermark_seconds", "event time the job has passed (min over sources)", watermark / 1000.0);
      gauge(out, "watermark_lag_seconds", "wall clock minus the watermark", (now - watermark) / 1000.0);
    }
    counter(out, "checkpoints_completed_total", "completed checkpoints", exporter.completedCheckpoints());
    Number failed = jobGauge(metrics, "numberOfFailedCheckpoints");
    counter(out, "checkpoints_failed_total", "failed checkpoints", failed == null ? 0 : failed.doubleValue());
    Number lastId = jobGauge(metrics, "lastCompletedCheckpointId");
    if (lastId != null) gauge(out, "last_checkpoint_id", "id of the last completed checkpoint", lastId.doubleValue());
    long lastAt = exporter.lastCheckpointAtMillis();
    if (lastAt > 0) {
      gauge(out, "last_checkpoint_timestamp_seconds", "when the last checkpoint completed", lastAt / 1000.0);
      gauge(out, "last_checkpoint_age_seconds", "seconds since the last completed checkpoint", (now - lastAt) / 1e3);
    }
    gauge(out, "process_resident_memory_bytes", "resident set size of the JVM", MetricsExporter.residentBytes());
    for (MetricsExporter.Registered m : metrics) flink(out, m);
    return out.toString();
  }

  static String describe(Iterable<MetricsExporter.Registered> metrics, MetricsExporter exporter) {
    Long watermark = minWatermark(metrics);
    long now = System.currentTimeMillis();
    long lastAt = exporter.lastCheckpointAtMillis();
    String checkpoint =
        lastAt > 0
            ? String.format(
                Locale.ROOT, "%d checkpoints, last %d s ago", exporter.completedCheckpoints(), (now - lastAt) / 1000)
            : "no checkpoint yet";
    String lag =
        watermark == null
            ? "no watermark yet"
            : String.format(Locale.ROOT, "watermark lag %d s", (now - watermark) / 1000);
    return String.format(
        Locale.ROOT,
        "%s; %s; %.0f events in, %.0f results out, %.0f late dropped",
        checkpoint,
        lag,
        sourceRecords(metrics),
        results(metrics),
        late(metrics));
  }

  static Number jobGauge(Iterable<MetricsExporter.Registered> metrics, String name) {
    for (MetricsExporter.Registered m : metrics) {
      if (m.name().equals(name) && !m.variables().containsKey("<task_id>") && m.metric() instanceof Gauge<?> g) {
        return g.getValue() instanceof Number n ? n : null;
      }
    }
    return null;
  }

  /** The current output watermark of each source operator (Long.MIN_VALUE until its first). */
  static List<Long> sourceWatermarks(Iterable<MetricsExporter.Registered> metrics) {
    List<Long> found = new ArrayList<>();
    for (MetricsExporter.Registered m : metrics) {
      if (m.name().equals("currentOutputWatermark") && isSource(m) && m.metric() instanceof Gauge<?> g) {
        if (g.getValue() instanceof Number n) found.add(n.longValue());
      }
    }
    return found;
  }

  private static Long minWatermark(Iterable<MetricsExporter.Registered> metrics) {
    Long min = null;
    for (long w : sourceWatermarks(metrics)) if (w > 0 && (min == null || w < min)) min = w;
    return min;
  }

  private static boolean isSource(MetricsExporter.Registered m) {
    String operator = m.variables().getOrDefault("<operator_name>", "");
    return operator.startsWith("Source:") && operator.contains("order_events");
  }

  private static double sourceRecords(Iterable<MetricsExporter.Registered> metrics) {
    double total = 0;
    for (MetricsExporter.Registered m : metrics) {
      if (m.name().equals("numRecordsOut") && isSource(m)) total += value(m.metric());
    }
    return total;
  }

  private static double late(Iterable<MetricsExporter.Registered> metrics) {
    return sum(metrics, "lateEventsDropped", null);
  }

  private static double results(Iterable<MetricsExporter.Registered> metrics) {
    return sum(metrics, "numRecordsIn", "analytics_results");
  }

  private static double sum(Iterable<MetricsExporter.Registered> metrics, String name, String operatorPart) {
    double total = 0;
    for (MetricsExporter.Registered m : metrics) {
      if (!m.name().equals(name) || !m.variables().containsKey("<operator_name>")) continue;
      String operator = m.variables().get("<operator_name>");
      boolean isWanted = operatorPart == null || (operator.contains(operatorPart) && operator.contains("Writer"));
      if (isWanted) total += value(m.metric());
    }
    return total;
  }

  private static double value(Metric metric) {
    if (metric instanceof Counter c) return c.getCount();
    if (metric instanceof Meter m) return m.getCount();
    if (metric instanceof Gauge<?> g && g.getValue() instanceof Number n) return n.doubleValue();
    return Double.NaN;
  }

  // Compiled once (String.replaceAll compiles its pattern on every call).
  private static final Pattern ANGLES = Pattern.compile("[<>]");
  private static final Pattern NOT_NAME = Pattern.compile("[^a-zA-Z0-9_]");

  private static void flink(StringBuilder out, MetricsExporter.Registered m) {
    double v = value(m.metric());
    if (Double.isNaN(v)) return;
    out.append(m.prefix()).append(format(v)).append('\n');
  }

  /** `flink_<scope>_<name>{labels} `: fixed for a metric's life, so built when it registers, not on each scrape. */
  static String prefix(String name, Map<String, String> variables) {
    Map<String, String> labels = new TreeMap<>();
    variables.forEach((k, val) -> labels.put(ANGLES.matcher(k).replaceAll(""), val));
    String scope = labels.containsKey("task_id") ? (labels.containsKey("operator_id") ? "operator" : "task") : "job";
    StringBuilder out = new StringBuilder("flink_").append(scope).append('_');
    out.append(NOT_NAME.matcher(name).replaceAll("_")).append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!first) out.append(',');
      first = false;
      String value = e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
      out.append(e.getKey()).append("=\"").append(value).append('"');
    }
    return out.append("} ").toString();
  }

  private static void gauge(StringBuilder out, String suffix, String help, double value) {
    String name = "emporium_analytics_" + suffix;
    out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(' ').append(format(value)).append('\n');
  }

  private static void counter(StringBuilder out, String suffix, String help, double value) {
    String name = "emporium_analytics_" + suffix;
    out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n");
    out.append(name).append(' ').append(format(value)).append('\n');
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
