package io.ember.volume.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The volume host's own settings. The shared ones under the same prefix (topic prefix, inbox,
 * outbox, vacuum) are common-model's {@code SharedConfig}. Every {@code ember.*} key set for this
 * service must be declared in one of the two, or the service does not start.
 */
@ConfigMapping(prefix = "ember")
public interface VolumeHostConfig {

  /** The backend this process serves (Cinder's {@code host@backend}). */
  String host();

  /** The zone every pool of this host is in (Cinder's {@code storage_availability_zone}). */
  String availabilityZone();

  Fake fake();

  Capabilities capabilities();

  Migration migration();

  /** Copying migrations ({@code ember.migration.*}). */
  interface Migration {

    /** How long a target's one-time data channel waits for the source's bytes. */
    @WithDefault("10m")
    Duration channelTtl();

    /**
     * The base address the source host sends a target's bytes to; by default this process's own
     * HTTP port on loopback (both hosts on one machine).
     */
    java.util.Optional<String> dataAddress();
  }

  /** The fake driver's backend ({@code ember.fake.*}). */
  interface Fake {

    /** Names of its pools. */
    List<String> pools();

    /** Size of each pool. */
    double totalCapacityGb();

    /** How long each create or delete takes. */
    Duration delay();

    /** Its {@code volume_backend_name}. */
    String backendName();

    /**
     * Where it keeps its volumes' and snapshots' bytes (sparse files) and records; one per host, so
     * that a restart finds them and two hosts never share one.
     */
    String dataDir();

    /**
     * What its pools can provision: {@code thin}, {@code thick} or {@code both} (their {@code
     * thin_provisioning_support} and {@code thick_provisioning_support}).
     */
    @WithDefault("thin")
    Provisioning provisioning();
  }

  /** The provisioning a fake backend's pools support. */
  enum Provisioning {
    thin,
    thick,
    both;

    public boolean thin() {
      return this != thick;
    }

    public boolean thick() {
      return this != thin;
    }
  }

  /** Settings of the capability reports ({@code ember.capabilities.*}). */
  interface Capabilities {

    /**
     * Period of the full report (Cinder's {@code backend_stats_polling_interval}); also read by the
     * report's schedule expression.
     */
    Duration interval();

    /** Delay of the report that follows a create or delete; changes within it share one report. */
    Duration debounce();

    /** How many finished creates a pool's report acknowledges. */
    int acknowledgedLimit();

    /** Operator-defined keys added to every pool (Cinder's {@code extra_capabilities}). */
    Map<String, String> extra();
  }
}
