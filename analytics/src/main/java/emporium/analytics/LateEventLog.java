package emporium.analytics;

import java.time.Instant;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events whose window had closed when they arrived: one warning each and a counter, then they are dropped. A SQL
 * function (analytics.sql's last INSERT), so the late events share the one source and dedupe of the other INSERTs;
 * as a DataStream of their own they had a second Kafka source, parser and dedupe (a third of the job's CPU).
 */
public class LateEventLog extends ScalarFunction {
  private static final Logger LOG = LoggerFactory.getLogger(LateEventLog.class);
  private transient Counter dropped;

  @Override
  public void open(FunctionContext context) {
    dropped = context.getMetricGroup().counter("lateEventsDropped");
  }

  public boolean eval(
      String eventId,
      String eventType,
      Long orderId,
      @DataTypeHint("TIMESTAMP_LTZ(3)") Instant eventTime,
      @DataTypeHint("TIMESTAMP_LTZ(3)") Instant watermark) {
    dropped.inc();
    LOG.warn(
        "late event dropped: event_id={} event_type={} order_id={} event_time={} watermark={}",
        eventId,
        eventType,
        orderId,
        eventTime,
        watermark);
    return true;
  }

  @Override
  public boolean isDeterministic() {
    return false; // a side effect per row: never folded or reused
  }
}
