package emporium.analytics.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * The job's health in Prometheus text on loopback (Flink's own Prometheus reporter listens on every interface):
 * GET /metrics, /health and /ready (the job is running). Flink's metrics are kept as registered and read on scrape.
 */
public class MetricsExporter implements MetricReporter {
  private static volatile MetricsExporter current;
  private final Map<Metric, Registered> metrics = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon());
  private volatile long completedCheckpoints = -1;
  private volatile long lastCheckpointAtMillis;
  private HttpServer server;

  /** The exporter Flink started in this JVM, if any (the entry point prints its state from it). */
  public static MetricsExporter current() {
    return current;
  }

  @Override
  public void open(MetricConfig config) {
    String host = config.getString("host", "127.0.0.1");
    int port = config.getInteger("port", 5106);
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new IllegalStateException("analytics metrics: cannot listen on " + host + ":" + port, e);
    }
    server.createContext("/metrics", exchange -> reply(exchange, 200, FlinkMetrics.render(snapshot(), this)));
    server.createContext("/health", exchange -> reply(exchange, 200, "{\"status\":\"ok\"}"));
    server.createContext(
        "/ready", exchange -> reply(exchange, isJobRunning() ? 200 : 503, "{\"running\":" + isJobRunning() + "}"));
    server.start();
    // A checkpoint's completion time is not a Flink metric: note when the completed count moves.
    ticker.scheduleWithFixedDelay(this::watchCheckpoints, 1, 1, TimeUnit.SECONDS);
    current = this;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    if (server != null) server.stop(0);
    current = null;
  }

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    Map<String, String> variables = group.getAllVariables();
    metrics.put(metric, new Registered(name, variables, metric, FlinkMetrics.prefix(name, variables)));
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    metrics.remove(metric);
  }

  /** prefix: the metric's Prometheus name and labels, rendered once (a scrape only appends the value). */
  record Registered(String name, Map<String, String> variables, Metric metric, String prefix) {}

  Iterable<Registered> snapshot() {
    return metrics.values();
  }

  public boolean isJobRunning() {
    return FlinkMetrics.jobGauge(snapshot(), "numRestarts") != null
        && !FlinkMetrics.sourceWatermarks(snapshot()).isEmpty();
  }

  public long completedCheckpoints() {
    return Math.max(completedCheckpoints, 0);
  }

  /** Wall-clock millis when the last checkpoint was seen complete, or 0. */
  public long lastCheckpointAtMillis() {
    return lastCheckpointAtMillis;
  }

  /** A one-line state for the console. */
  public String describe() {
    return FlinkMetrics.describe(snapshot(), this);
  }

  private void watchCheckpoints() {
    Number completed = FlinkMetrics.jobGauge(snapshot(), "numberOfCompletedCheckpoints");
    if (completed == null) return;
    if (completed.longValue() != completedCheckpoints) {
      if (completedCheckpoints >= 0 || completed.longValue() > 0) lastCheckpointAtMillis = System.currentTimeMillis();
      completedCheckpoints = completed.longValue();
    }
  }

  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux: no RSS line
    }
    return -1;
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String type = body.startsWith("{") ? "application/json" : "text/plain; version=0.0.4; charset=utf-8";
    exchange.getResponseHeaders().set("content-type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "analytics-metrics");
      thread.setDaemon(true);
      return thread;
    };
  }
}
