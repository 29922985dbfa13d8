package emporium.analytics;

import java.time.Duration;

/**
 * Window length, allowed lateness and source idle timeout: 5 minutes, 30 s and 60 s by default (SPEC); tests and
 * demos shorten them so a window closes in seconds instead of minutes.
 */
public record Windows(Duration size, Duration lateness, Duration idleTimeout) {
  public static final Windows DEFAULT = new Windows(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(60));

  /** A SQL interval literal ('D HH:MM:SS.fff' DAY TO SECOND: plain SECOND allows two digits only). */
  static String interval(Duration d) {
    return String.format(
        java.util.Locale.ROOT,
        "INTERVAL '%d %02d:%02d:%02d.%03d' DAY TO SECOND(3)",
        d.toDays(),
        d.toHoursPart(),
        d.toMinutesPart(),
        d.toSecondsPart(),
        d.toMillisPart());
  }
}
