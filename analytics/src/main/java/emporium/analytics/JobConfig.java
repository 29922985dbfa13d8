package emporium.analytics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The job's settings; the only reader of the environment. Refuses to start listing every problem. */
public record JobConfig(
    String kafkaBrokers,
    String sourceTopic,
    String resultsTopic,
    String groupId,
    String transactionalIdPrefix,
    String storageUrl,
    Duration checkpointInterval,
    int parallelism,
    String bindHost,
    int restPort,
    int blobPort,
    int metricsPort,
    String gcsEndpoint,
    int gcsChunkMb,
    Windows windows,
    boolean allowNonRestoredState) {

  public static JobConfig fromEnv(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String dataDir = env.getOrDefault("EMPORIUM_DATA_DIR", Path.of(".data").toAbsolutePath().toString());
    String storage = env.getOrDefault("ANALYTICS_STORAGE_URL", Path.of(dataDir, "analytics").toUri().toString());
    if (!storage.startsWith("file:") && !storage.startsWith("gs://")) {
      problems.add("ANALYTICS_STORAGE_URL must be a file: or gs:// URL, got " + storage);
    }
    String brokers = env.getOrDefault("KAFKA_BROKERS", "");
    if (brokers.isBlank()) problems.add("KAFKA_BROKERS is required (host:port,host:port)");
    JobConfig config =
        new JobConfig(
            brokers,
            env.getOrDefault("ANALYTICS_SOURCE_TOPIC", "orders"),
            env.getOrDefault("ANALYTICS_RESULTS_TOPIC", "analytics-results"),
            env.getOrDefault("ANALYTICS_GROUP_ID", "emporium-analytics"),
            env.getOrDefault("ANALYTICS_TRANSACTIONAL_ID_PREFIX", "emporium-analytics"),
            storage.replaceAll("/+$", ""),
            Duration.ofMillis(integer(env, "ANALYTICS_CHECKPOINT_INTERVAL_MS", 60_000, 500, 3_600_000, problems)),
            integer(env, "ANALYTICS_PARALLELISM", 1, 1, 64, problems),
            env.getOrDefault("ANALYTICS_BIND_HOST", "127.0.0.1"),
            integer(env, "ANALYTICS_REST_PORT", 8081, 1024, 65535, problems),
            integer(env, "ANALYTICS_BLOB_PORT", 6124, 1024, 65535, problems),
            integer(env, "ANALYTICS_METRICS_PORT", 5106, 1024, 65535, problems),
            env.get("GCS_ENDPOINT"),
            integer(env, "ANALYTICS_GCS_CHUNK_MB", 8, 1, 64, problems),
            new Windows(
                Duration.ofSeconds(integer(env, "ANALYTICS_WINDOW_SECONDS", 300, 1, 86_400, problems)),
                Duration.ofSeconds(integer(env, "ANALYTICS_LATENESS_SECONDS", 30, 0, 3_600, problems)),
                Duration.ofSeconds(integer(env, "ANALYTICS_IDLE_TIMEOUT_SECONDS", 60, 1, 3_600, problems))),
            "true".equals(env.get("ANALYTICS_ALLOW_NON_RESTORED_STATE")));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("analytics job: bad settings:\n  " + String.join("\n  ", problems));
    }
    return config;
  }

  private static int integer(
      Map<String, String> env, String name, int fallback, int min, int max, List<String> problems) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) return fallback;
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) return value;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    problems.add(name + " must be an integer from " + min + " to " + max + ", got " + raw);
    return fallback;
  }
}
