package emporium.analytics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Keeps what one logger writes, so a test can see that a late event was logged. */
final class LogCapture extends AbstractAppender {
  final List<String> messages = new CopyOnWriteArrayList<>();

  private LogCapture() {
    super("capture", null, null, true, Property.EMPTY_ARRAY);
  }

  static LogCapture attach(Class<?> source) {
    LogCapture capture = new LogCapture();
    capture.start();
    ((Logger) LogManager.getLogger(source)).addAppender(capture);
    return capture;
  }

  @Override
  public void append(LogEvent event) {
    messages.add(event.getMessage().getFormattedMessage());
  }
}
