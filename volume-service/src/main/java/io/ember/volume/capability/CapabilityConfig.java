package io.ember.volume.capability;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Map;

/** Settings of the capability reports ({@code ember.capabilities.*}). */
@ConfigMapping(prefix = "ember.capabilities")
public interface CapabilityConfig {

  /** Period of the full report (Cinder's {@code backend_stats_polling_interval}). */
  Duration interval();

  /** Delay of the report that follows a create or delete; changes within it share one report. */
  Duration debounce();

  /** How many finished creates a pool's report acknowledges. */
  int acknowledgedLimit();

  /** Operator-defined keys added to every pool (Cinder's {@code extra_capabilities}). */
  Map<String, String> extra();
}
