package emporium.analytics;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Events whose window had closed when they arrived: one warning each and a counter, then they are dropped. */
public class LateEventLog extends ProcessFunction<Row, String> {
  private static final Logger LOG = LoggerFactory.getLogger(LateEventLog.class);
  private transient Counter dropped;

  @Override
  public void open(OpenContext context) {
    dropped = getRuntimeContext().getMetricGroup().counter("lateEventsDropped");
  }

  @Override
  public void processElement(Row row, Context context, Collector<String> out) {
    dropped.inc();
    LOG.warn(
        "late event dropped: event_id={} event_type={} order_id={} event_time={} watermark={}",
        row.getField("event_id"),
        row.getField("event_type"),
        row.getField("order_id"),
        row.getField("ts"),
        row.getField("current_watermark"));
  }
}
