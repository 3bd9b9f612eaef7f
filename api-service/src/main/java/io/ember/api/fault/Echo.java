package io.ember.api.fault;

/**
 * What an error may repeat of a caller's value: a bounded, printable prefix. A 5 MB name must not
 * come back in a 10 MB answer or land whole in a log line.
 */
public final class Echo {

  /** Longer than any valid field (255), short enough for a log line. */
  public static final int MAX = 300;

  private Echo() {}

  public static String cap(String value) {
    return cap(value, MAX);
  }

  public static String cap(String value, int max) {
    if (value == null) {
      return null;
    }
    StringBuilder shown = new StringBuilder(Math.min(value.length(), max) + 16);
    for (int i = 0; i < value.length() && shown.length() < max; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        shown.append(String.format("\\x%02x", (int) c & 0xffff));
      } else {
        shown.append(c);
      }
    }
    if (shown.length() >= max && value.length() > max) {
      shown.setLength(max);
      shown.append("...");
    }
    return shown.toString();
  }
}
