package emporium.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Order-topic events as JSON lines with explicit event times (the fields of packages/events' contracts). */
final class Events {
  private final List<String> lines = new ArrayList<>();
  private final String day;

  Events(String day) {
    this.day = day;
  }

  record Item(long productId, int quantity, String price) {}

  static Item item(long productId, int quantity, String price) {
    return new Item(productId, quantity, price);
  }

  String created(long orderId, String time, String region, Item... items) {
    return add("order_created", orderId, time, region, "pending", "", items);
  }

  String paid(long orderId, String time, String region, String amount, Item... items) {
    return add("payment_succeeded", orderId, time, region, "succeeded", ",\"amount\":" + amount, items);
  }

  String failed(long orderId, String time, String region, String amount) {
    Item[] items = {item(1, 1, amount)};
    return add("payment_failed", orderId, time, region, "failed", ",\"amount\":" + amount, items);
  }

  String refunded(long orderId, String time, String region, String refund, Item... items) {
    return add("payment_refunded", orderId, time, region, "refunded", ",\"refund_amount\":" + refund, items);
  }

  /** The same message again (the outbox relay or Kafka delivered it twice). */
  void repeat(String line) {
    lines.add(line);
  }

  void raw(String line) {
    lines.add(line);
  }

  List<String> lines() {
    return lines;
  }

  private String add(String type, long orderId, String time, String region, String status, String extra, Item[] items) {
    StringBuilder json = new StringBuilder();
    for (Item i : items) {
      if (json.length() > 0) json.append(',');
      json.append(
          String.format(
              Locale.ROOT,
              "{\"product_id\":%d,\"product_name\":\"Product %d\",\"category\":\"Books\",\"quantity\":%d,\"price\":%s}",
              i.productId(),
              i.productId(),
              i.quantity(),
              i.price()));
    }
    String line =
        String.format(
            Locale.ROOT,
            "{\"event_id\":\"%s\",\"event_type\":\"%s\",\"event_version\":1,\"order_id\":%d,\"user_id\":7,"
                + "\"total_amount\":1.00,\"status\":\"%s\",\"items\":[%s],\"region\":\"%s\","
                + "\"timestamp\":\"%sT%s.000Z\"%s}",
            UUID.randomUUID(),
            type,
            orderId,
            status,
            json,
            region,
            day,
            time,
            extra);
    lines.add(line);
    return line;
  }
}
