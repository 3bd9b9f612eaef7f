package io.ember.scheduler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The scheduler's tunables, named after Cinder's options where one exists. */
@ConfigMapping(prefix = "ember.scheduler")
public interface SchedulerConfig {

  /** Cinder's {@code service_down_time}: a pool whose latest report is older is not schedulable. */
  @WithDefault("60s")
  Duration serviceDownTime();

  /** Cinder's {@code scheduler_max_attempts}. */
  @WithDefault("3")
  int maxAttempts();

  /** Cinder's {@code capacity_weight_multiplier}: positive spreads, negative stacks. */
  @WithDefault("1.0")
  double capacityWeightMultiplier();

  /**
   * How long a placement counts against a pool when no report ever acknowledges it (a host that
   * died mid-create), so the view cannot drift for ever.
   */
  @WithDefault("10m")
  Duration inFlightTimeout();

  /**
   * Cinder's {@code scheduler_driver_init_wait_time}, shortened: after start, a request waits up to
   * this long for a live pool and for the capabilities topic to be read up to where it ended at
   * start (every host's latest report), and for the services topic likewise (the disabled hosts).
   */
  @WithDefault("15s")
  Duration initWaitTime();

  /**
   * The Kafka consumer group the scheduler instances share for {@code schedule_volume} requests.
   */
  @WithDefault("ember-scheduler")
  String consumerGroup();

  /** Cinder's {@code report_interval}: how often the scheduler sends its heartbeat. */
  @WithDefault("10s")
  Duration reportInterval();

  /** Cinder's {@code storage_availability_zone}: the zone {@code os-services} shows it in. */
  @WithDefault("nova")
  String availabilityZone();

  /** Cinder's {@code host}: names this scheduler in notifications; the machine name if unset. */
  Optional<String> host();
}
