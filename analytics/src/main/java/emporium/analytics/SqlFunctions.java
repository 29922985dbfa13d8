package emporium.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;

/** The scalar functions analytics.sql uses: money in integer cents, ISO 8601 UTC strings, window bounds. */
public final class SqlFunctions {
  // Exact decimals: the default node factory strips trailing zeros (40.50 would be written 40.5, 30.00 as 3E+1).
  private static final ObjectMapper JSON =
      new ObjectMapper().setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

  private SqlFunctions() {}

  public static void register(TableEnvironment tEnv) {
    tEnv.createTemporarySystemFunction("cents", Cents.class);
    tEnv.createTemporarySystemFunction("money", Money.class);
    tEnv.createTemporarySystemFunction("divide_cents", DivideCents.class);
    tEnv.createTemporarySystemFunction("iso", Iso.class);
    tEnv.createTemporarySystemFunction("iso_ltz", IsoLtz.class);
    tEnv.createTemporarySystemFunction("window_end_of", WindowEndOf.class);
    tEnv.createTemporarySystemFunction("std_dev", StdDev.class);
    tEnv.createTemporarySystemFunction("result_json", ResultJson.class);
    tEnv.createTemporarySystemFunction("anomaly_json", AnomalyJson.class);
    tEnv.createTemporarySystemFunction("event_json", EventJson.class);
  }

  /** An amount with two decimals as integer cents (a missing amount is none). */
  public static class Cents extends ScalarFunction {
    public long eval(@DataTypeHint("DECIMAL(12, 2)") BigDecimal amount) {
      return amount == null ? 0 : amount.setScale(2, RoundingMode.HALF_UP).unscaledValue().longValueExact();
    }
  }

  public static class Money extends ScalarFunction {
    public @DataTypeHint("DECIMAL(14, 2)") BigDecimal eval(Long cents) {
      return cents == null ? null : BigDecimal.valueOf(cents, 2);
    }
  }

  /** cents / count, rounded half up to a cent (average order value). */
  public static class DivideCents extends ScalarFunction {
    public long eval(long cents, long count) {
      return BigDecimal.valueOf(cents).divide(BigDecimal.valueOf(count), 0, RoundingMode.HALF_UP).longValue();
    }
  }

  /** Window bounds are TIMESTAMP(3) in the session's zone, which the job pins to UTC. */
  public static class Iso extends ScalarFunction {
    public String eval(LocalDateTime time) {
      return time == null ? null : ISO.format(time);
    }
  }

  public static class IsoLtz extends ScalarFunction {
    public String eval(@DataTypeHint("TIMESTAMP_LTZ(3)") Instant time) {
      return time == null ? null : ISO.format(LocalDateTime.ofInstant(time, ZoneOffset.UTC));
    }
  }

  /** The end of the epoch-aligned window (of the given length) an event time falls in. */
  public static class WindowEndOf extends ScalarFunction {
    public @DataTypeHint("TIMESTAMP_LTZ(3)") Instant eval(
        @DataTypeHint("TIMESTAMP_LTZ(3)") Instant time, long windowMillis) {
      if (time == null) return null;
      long millis = time.toEpochMilli();
      return Instant.ofEpochMilli(Math.floorDiv(millis, windowMillis) * windowMillis + windowMillis);
    }
  }

  /** Population standard deviation from a sum and a sum of squares over n values. */
  public static class StdDev extends ScalarFunction {
    public Double eval(Double sum, Double squares, Long n) {
      if (sum == null || squares == null || n == null || n == 0) return null;
      double mean = sum / n;
      return Math.sqrt(Math.max(squares / n - mean * mean, 0));
    }
  }

  /** A result message: result_type, window_start, window_end, then name/value pairs; money keeps two decimals. */
  public static class ResultJson extends ScalarFunction {
    public String eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object... values) {
      ObjectNode node = JSON.createObjectNode();
      node.put("result_type", (String) values[0]);
      node.put("window_start", ISO.format((LocalDateTime) values[1]));
      node.put("window_end", ISO.format((LocalDateTime) values[2]));
      for (int i = 3; i + 1 < values.length; i += 2) node.set((String) values[i], JSON.valueToTree(values[i + 1]));
      return node.toString();
    }
  }

  /** An anomaly message: revenue and expectations with two decimals, a share with four, and why in words. */
  public static class AnomalyJson extends ScalarFunction {
    public String eval(
        LocalDateTime start, LocalDateTime end, String metric, Double value, Double expected, Double spread, Long n) {
      ObjectNode node = JSON.createObjectNode();
      node.put("result_type", "anomaly");
      node.put("window_start", ISO.format(start));
      node.put("window_end", ISO.format(end));
      node.put("metric", metric);
      boolean isShare = "decline_share".equals(metric);
      int scale = isShare ? 4 : 2;
      if ("orders_placed".equals(metric)) node.put("value", Math.round(value));
      else node.put("value", BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP));
      node.put("expected", BigDecimal.valueOf(expected).setScale(scale, RoundingMode.HALF_UP));
      node.put("reason", reason(metric, value, expected, spread, n));
      return node.toString();
    }

    private static String reason(String metric, double value, double expected, Double spread, long n) {
      String direction = value > expected ? "above" : "below";
      if ("decline_share".equals(metric)) {
        return String.format(
            Locale.ROOT,
            "%.0f%% of payment attempts declined, %.0f points %s the %.0f%% of the previous %d windows",
            value * 100,
            Math.abs(value - expected) * 100,
            direction,
            expected * 100,
            n);
      }
      return String.format(
          Locale.ROOT,
          "%s %.2f is %.1f standard deviations %s the mean %.2f of the previous %d windows",
          metric,
          value,
          Math.abs(value - expected) / spread,
          direction,
          expected,
          n);
    }
  }
}
