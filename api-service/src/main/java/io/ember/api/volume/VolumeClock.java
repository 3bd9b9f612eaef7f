package io.ember.api.volume;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The time a volume's timestamps are set to: UTC, without zone, as Cinder stores them. */
public final class VolumeClock {

  private VolumeClock() {}

  public static LocalDateTime now() {
    return LocalDateTime.now(ZoneOffset.UTC);
  }
}
