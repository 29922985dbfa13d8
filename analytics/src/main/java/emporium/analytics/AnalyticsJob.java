package emporium.analytics;

import emporium.analytics.metrics.MetricsExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import sun.misc.Signal;

/** Entry point: the analytics SQL on Kafka, in process (MiniCluster) or on a Flink cluster. Stops on SIGTERM/SIGINT. */
public final class AnalyticsJob {
  private static final Duration STATUS_EVERY = Duration.ofSeconds(30);

  private AnalyticsJob() {}

  public static void main(String[] args) {
    try {
      run();
    } catch (Throwable e) {
      // Flink's threads would keep a failed start alive: say why and leave.
      System.err.println("[analytics] the job could not start or failed:");
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run() throws Exception {
    JobConfig config;
    try {
      config = JobConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Configuration flink = FlinkSettings.of(config);
    // gs:// (Flink's GCS filesystem on the class path) reads its settings from here.
    FileSystem.initialize(flink, null);
    String jobDir = config.storageUrl() + "/checkpoints/" + FlinkSettings.jobId(config.groupId());
    Optional<String> restore = Checkpoints.latest(jobDir);
    restore.ifPresent(path -> flink.setString("execution.state-recovery.path", path));
    say(restore.map(p -> "restoring from " + p).orElse("no checkpoint in " + jobDir + ": starting fresh"));
    // Kafka 4 bumps a transaction's epoch when it ends: re-committing one that was already committed is "fenced".
    restore.ifPresent(p -> say(String.format(
        "re-committing the Kafka transactions %s-*-%s of that checkpoint; a ProducerFencedException for them"
            + " means they were committed before the stop (expected, see analytics/README.md)",
        config.transactionalIdPrefix(), p.substring(p.lastIndexOf("chk-") + 4))));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
    AnalyticsPipeline.define(
            tEnv,
            AnalyticsTables.kafkaSource(config),
            AnalyticsTables.kafkaResults(config),
            config.storageUrl(),
            config.checkpointInterval(),
            config.windows())
        .attachAsDataStream();
    JobClient job = env.executeAsync("emporium-analytics");
    say(String.format(
        "job %s running: %s -> %s, checkpoints every %d s in %s; REST http://%s:%d, metrics http://%s:%d/metrics",
        job.getJobID(), config.sourceTopic(), config.resultsTopic(), config.checkpointInterval().toSeconds(),
        config.storageUrl(), config.bindHost(), config.restPort(), config.bindHost(), config.metricsPort()));

    CountDownLatch stopped = new CountDownLatch(1);
    Thread status = new Thread(() -> printStatus(stopped), "analytics-status");
    status.setDaemon(true);
    status.start();
    Runnable stop = () -> stop(job, stopped);
    Signal.handle(new Signal("TERM"), signal -> stop.run());
    Signal.handle(new Signal("INT"), signal -> stop.run());
    try {
      job.getJobExecutionResult().get();
    } catch (Exception e) {
      if (stopped.getCount() > 0) {
        System.err.println("[analytics] job failed: " + e);
        System.exit(1);
      }
    }
    stopped.await();
  }

  private static synchronized void stop(JobClient job, CountDownLatch stopped) {
    if (stopped.getCount() == 0) return;
    say("stopping: cancelling the job (its last checkpoint is kept for the next start)");
    try {
      job.cancel().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("[analytics] cancel: " + e);
    }
    stopped.countDown();
    say("stopped");
    System.exit(0);
  }

  private static void printStatus(CountDownLatch stopped) {
    try {
      while (!stopped.await(STATUS_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
        MetricsExporter exporter = MetricsExporter.current();
        if (exporter != null) say(exporter.describe());
      }
    } catch (InterruptedException ignored) {
      Thread.currentThread().interrupt();
    }
  }

  static void say(String line) {
    System.out.println("[analytics] " + Instant.now() + " " + line);
  }
}
