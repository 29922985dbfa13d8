package emporium.analytics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.flink.configuration.Configuration;

/** The Flink configuration the job runs with, in process (MiniCluster) locally or submitted to a cluster. */
final class FlinkSettings {
  private FlinkSettings() {}

  static Configuration of(JobConfig config) {
    Configuration flink = new Configuration();
    // Loopback only: REST, RPC and blob server bind the configured host and fixed ports.
    flink.setString("rest.address", config.bindHost());
    flink.setString("rest.bind-address", config.bindHost());
    flink.setString("rest.port", String.valueOf(config.restPort()));
    flink.setString("jobmanager.rpc.address", config.bindHost());
    flink.setString("jobmanager.bind-host", config.bindHost());
    flink.setString("taskmanager.bind-host", config.bindHost());
    flink.setString("taskmanager.host", config.bindHost());
    flink.setString("blob.server.port", String.valueOf(config.blobPort()));
    flink.setString("metrics.reporter.emporium.factory.class", "emporium.analytics.metrics.MetricsExporterFactory");
    flink.setString("metrics.reporter.emporium.host", config.bindHost());
    flink.setString("metrics.reporter.emporium.port", String.valueOf(config.metricsPort()));
    flink.setString("parallelism.default", String.valueOf(config.parallelism()));
    flink.setString("taskmanager.numberOfTaskSlots", String.valueOf(config.parallelism()));
    flink.setString("taskmanager.memory.network.min", "64m");
    flink.setString("taskmanager.memory.network.max", "64m");
    flink.setString("taskmanager.memory.managed.size", "32m");
    // Exactly once: Kafka transactions and lake files commit with each checkpoint; kept on cancel for the next start.
    flink.setString("execution.checkpointing.interval", config.checkpointInterval().toMillis() + " ms");
    flink.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
    flink.setString("execution.checkpointing.dir", config.storageUrl() + "/checkpoints");
    flink.setString("execution.checkpointing.num-retained", "3");
    flink.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    flink.setString("execution.checkpointing.timeout", "10 min");
    flink.setString("state.backend.type", "hashmap");
    // After a change to the SQL's plan drops an operator, its state in the last checkpoint can be left behind on
    // purpose (off by default: a silently ignored state would be a silently wrong result).
    flink.setString("execution.state-recovery.ignore-unclaimed-state", String.valueOf(config.allowNonRestoredState()));
    // One job id for every start, so its checkpoints live in one folder and the next start finds the latest.
    flink.setString("$internal.pipeline.job-id", jobId(config.groupId()));
    // SQL operators never hold on to a record they passed on: chained operators may share it instead of copying.
    flink.setString("pipeline.object-reuse", "true");
    flink.setString("table.local-time-zone", "UTC");
    flink.setString("table.exec.source.idle-timeout", config.windows().idleTimeout().toMillis() + " ms");
    // Duplicates arrive within minutes; a day of event ids bounds the dedupe state.
    flink.setString("table.exec.state.ttl", "1 d");
    if (config.gcsEndpoint() != null) {
      flink.setString("gs.storage.root.url", config.gcsEndpoint());
      flink.setString("gs.auth.service.account.enable", "false");
      flink.setString("gs.auth.null.enable", "true");
    }
    // Each open upload buffers one chunk in the heap; the default (GCS's) is larger than this JVM needs.
    flink.setString("gs.writer.chunk.size", config.gcsChunkMb() + "m");
    return flink;
  }

  static String jobId(String groupId) {
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(groupId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
