package emporium.analytics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.util.jackson.JacksonMapperFactory;

/**
 * A raw-event lake line: the bytes Flink's JSON format wrote for the events_lake row (same field order, decimals as
 * plain numbers through the same node factory, nulls written), streamed by one generator instead of building a node
 * tree per event (the JSON format's writer was a fifth of the task thread's samples).
 */
public class EventJson extends ScalarFunction {
  private static final ObjectMapper MAPPER =
      JacksonMapperFactory.createObjectMapper().configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);
  private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();
  private transient ByteArrayOutputStream buffer;

  public byte[] eval(
      String eventId,
      String eventType,
      Integer eventVersion,
      Long orderId,
      Long userId,
      @DataTypeHint("DECIMAL(12, 2)") BigDecimal totalAmount,
      String status,
      String region,
      @DataTypeHint("DECIMAL(12, 2)") BigDecimal amount,
      @DataTypeHint("DECIMAL(12, 2)") BigDecimal refundAmount,
      @DataTypeHint(value = "ARRAY<" + AnalyticsTables.ITEM + ">", bridgedTo = ArrayData.class) ArrayData items,
      String timestamp) {
    if (buffer == null) buffer = new ByteArrayOutputStream(512);
    buffer.reset();
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(buffer)) {
      g.writeStartObject();
      string(g, "event_id", eventId);
      string(g, "event_type", eventType);
      g.writeFieldName("event_version");
      if (eventVersion == null) g.writeNull();
      else g.writeNumber(eventVersion);
      number(g, "order_id", orderId);
      number(g, "user_id", userId);
      decimal(g, "total_amount", totalAmount);
      string(g, "status", status);
      string(g, "region", region);
      decimal(g, "amount", amount);
      decimal(g, "refund_amount", refundAmount);
      g.writeFieldName("items");
      if (items == null) g.writeNull();
      else {
        g.writeStartArray();
        for (int i = 0; i < items.size(); i++) {
          if (items.isNullAt(i)) {
            g.writeNull();
            continue;
          }
          RowData item = items.getRow(i, 5);
          g.writeStartObject();
          number(g, "product_id", item.isNullAt(0) ? null : item.getLong(0));
          string(g, "product_name", item.isNullAt(1) ? null : item.getString(1).toString());
          string(g, "category", item.isNullAt(2) ? null : item.getString(2).toString());
          g.writeFieldName("quantity");
          if (item.isNullAt(3)) g.writeNull();
          else g.writeNumber(item.getInt(3));
          decimal(g, "price", item.isNullAt(4) ? null : item.getDecimal(4, 12, 2).toBigDecimal());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      string(g, "timestamp", timestamp);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static void string(JsonGenerator g, String name, String value) throws IOException {
    g.writeFieldName(name);
    if (value == null) g.writeNull();
    else g.writeString(value);
  }

  private static void number(JsonGenerator g, String name, Long value) throws IOException {
    g.writeFieldName(name);
    if (value == null) g.writeNull();
    else g.writeNumber(value);
  }

  /** Through the mapper's node factory, as the JSON format does (it keeps the two places: 10.00). */
  private static void decimal(JsonGenerator g, String name, BigDecimal value) throws IOException {
    g.writeFieldName(name);
    if (value == null) g.writeNull();
    else g.writeNumber(NODES.numberNode(value).decimalValue());
  }
}
