package io.ember.scheduler;

import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.Retry;
import io.ember.model.contract.VolumeSpec;
import io.ember.scheduler.capability.PoolState;
import io.ember.scheduler.config.SchedulerConfig;
import io.ember.scheduler.filter.FilterProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builders for the reports, specs and settings the unit tests vary. */
public final class Fixtures {

  public static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  private Fixtures() {}

  /** Scheduler settings with Cinder's defaults unless a test changes them. */
  public record Config(
      Duration serviceDownTime,
      int maxAttempts,
      double capacityWeightMultiplier,
      Duration inFlightTimeout,
      Duration initWaitTime)
      implements SchedulerConfig {

    public static Config defaults() {
      return new Config(Duration.ofSeconds(60), 3, 1.0, Duration.ofMinutes(10), Duration.ZERO);
    }

    public Config withMultiplier(double multiplier) {
      return new Config(serviceDownTime, maxAttempts, multiplier, inFlightTimeout, initWaitTime);
    }

    @Override
    public String consumerGroup() {
      return "ember-scheduler";
    }

    @Override
    public Optional<String> host() {
      return Optional.of("test");
    }

    @Override
    public Duration reportInterval() {
      return Duration.ofSeconds(10);
    }

    @Override
    public String availabilityZone() {
      return "nova";
    }
  }

  /** A report builder: a thick-capable, thin-capable pool of 1000 GB, empty, in zone "nova". */
  public static final class Report {
    private final String pool;
    private String zone = "nova";
    private double total = 1000;
    private double free = 1000;
    private double allocated;
    private double provisioned;
    private boolean thin = true;
    private boolean thick = true;
    private double ratio = 20.0;
    private int reserved;
    private Map<String, String> extra = Map.of();
    private List<String> acknowledged = List.of();
    private Instant at = NOW;
    private String backendName = "fake";

    public Report(String pool) {
      this.pool = pool;
    }

    public Report zone(String zone) {
      this.zone = zone;
      return this;
    }

    public Report capacity(double total, double free, double provisioned) {
      this.total = total;
      this.free = free;
      this.allocated = provisioned;
      this.provisioned = provisioned;
      return this;
    }

    public Report thin(boolean thin, double ratio) {
      this.thin = thin;
      this.ratio = ratio;
      return this;
    }

    public Report thick(boolean thick) {
      this.thick = thick;
      return this;
    }

    public Report reserved(int percentage) {
      this.reserved = percentage;
      return this;
    }

    public Report extra(Map<String, String> extra) {
      this.extra = extra;
      return this;
    }

    public Report acknowledged(String... volumeIds) {
      this.acknowledged = List.of(volumeIds);
      return this;
    }

    public Report at(Instant at) {
      this.at = at;
      return this;
    }

    public Report backendName(String name) {
      this.backendName = name;
      return this;
    }

    public CapabilityReport build() {
      return new CapabilityReport(
          pool,
          backendName,
          "Ember",
          "1.0.0",
          "iSCSI",
          zone,
          total,
          free,
          allocated,
          provisioned,
          thin,
          thick,
          ratio,
          reserved,
          extra,
          acknowledged,
          at);
    }

    public PoolState state() {
      return new PoolState(build(), 0, at, true);
    }
  }

  public static Report report(String pool) {
    return new Report(pool);
  }

  public static VolumeSpec volume(String id, int sizeGb) {
    return volume(id, sizeGb, null, Map.of());
  }

  public static VolumeSpec volume(
      String id, int sizeGb, String zone, Map<String, String> extraSpecs) {
    return new VolumeSpec(
        id, "project", "user", sizeGb, "vol-" + id, zone, "type", extraSpecs, Map.of(), NOW);
  }

  /** A first attempt at placing {@code volume}. */
  public static FilterProperties request(VolumeSpec volume) {
    return new FilterProperties(volume, Retry.first().nextAttempt());
  }
}
