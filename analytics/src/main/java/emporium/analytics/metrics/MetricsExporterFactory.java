package emporium.analytics.metrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Named in `metrics.reporter.emporium.factory.class`; found through META-INF/services. */
public class MetricsExporterFactory implements MetricReporterFactory {
  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new MetricsExporter();
  }
}
