package io.ember.volume.driver.fake;

import io.ember.model.contract.QosSpecs;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.ModelUpdate;
import io.ember.volume.driver.PoolStats;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;
import io.ember.volume.driver.VolumeStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * An in-memory backend for tests and benchmarks: pools of a fixed size, thin, thick or both, a
 * configurable delay per operation, and failures injected per volume through its metadata.
 */
@Singleton
public class FakeDriver implements VolumeDriver {

  /** Metadata key: {@code *} or a comma list of backend hosts where create fails. */
  public static final String FAIL_CREATE = "ember.fake.fail-create";

  /** Metadata key: {@code *} or a comma list of backend hosts where delete fails. */
  public static final String FAIL_DELETE = "ember.fake.fail-delete";

  static final String VERSION = "1.0.0";
  static final double MAX_OVER_SUBSCRIPTION_RATIO = 20.0;

  private final String host;
  private final List<String> pools;
  private final double totalCapacityGb;
  private final Duration delay;
  private final String backendName;
  private final VolumeHostConfig.Provisioning provisioning;
  private final MeterRegistry meters;
  private final Set<String> qosGauges = ConcurrentHashMap.newKeySet();

  private final ConcurrentMap<String, DriverVolume> volumes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, AtomicInteger> createCalls = new ConcurrentHashMap<>();
  private volatile boolean initialized;

  @Inject
  FakeDriver(VolumeHostConfig config, MeterRegistry meters) {
    this(
        config.host(),
        config.fake().pools(),
        config.fake().totalCapacityGb(),
        config.fake().delay(),
        config.fake().backendName(),
        config.fake().provisioning(),
        meters);
  }

  /** A thin backend of {@code host} with its settings given directly, as tests build it. */
  public FakeDriver(
      String host, List<String> pools, double totalCapacityGb, Duration delay, String backendName) {
    this(
        host, pools, totalCapacityGb, delay, backendName, VolumeHostConfig.Provisioning.thin, null);
  }

  /**
   * @param meters where the volumes held per QoS spec are shown; null for none
   */
  public FakeDriver(
      String host,
      List<String> pools,
      double totalCapacityGb,
      Duration delay,
      String backendName,
      VolumeHostConfig.Provisioning provisioning,
      MeterRegistry meters) {
    this.host = host;
    this.pools = List.copyOf(pools);
    this.totalCapacityGb = totalCapacityGb;
    this.delay = delay;
    this.backendName = backendName;
    this.provisioning = provisioning;
    this.meters = meters;
  }

  @Override
  public void doSetup() {
    initialized = true;
  }

  @Override
  public boolean initialized() {
    return initialized;
  }

  @Override
  public ModelUpdate createVolume(DriverVolume volume) {
    pause();
    createCalls.computeIfAbsent(volume.id(), id -> new AtomicInteger()).incrementAndGet();
    if (!pools.contains(volume.pool())) {
      throw new VolumeDriverException("pool " + volume.pool() + " does not exist on " + host);
    }
    if (injected(volume.metadata().get(FAIL_CREATE))) {
      throw new VolumeDriverException("injected create failure on " + host);
    }
    String location = "fake://" + host + "/" + volume.pool() + "/" + volume.id();
    // The fake "applies" the type's back-end QoS by keeping it with the volume, where tests and
    // the metrics can see what arrived.
    volumes.put(
        volume.id(),
        new DriverVolume(
            volume.id(),
            volume.size(),
            volume.pool(),
            volume.metadata(),
            location,
            volume.qosSpecs()));
    showQos(volume.qosSpecs());
    return new ModelUpdate(location);
  }

  @Override
  public void deleteVolume(DriverVolume volume) {
    pause();
    DriverVolume held = volumes.get(volume.id());
    if (held == null) {
      return;
    }
    if (injected(held.metadata().get(FAIL_DELETE))) {
      throw new VolumeDriverException("injected delete failure on " + host);
    }
    volumes.remove(volume.id());
  }

  @Override
  public VolumeStats getVolumeStats() {
    Map<String, Integer> provisioned = new LinkedHashMap<>();
    Map<String, Integer> count = new LinkedHashMap<>();
    for (DriverVolume v : volumes.values()) {
      provisioned.merge(v.pool(), v.size(), Integer::sum);
      count.merge(v.pool(), 1, Integer::sum);
    }
    List<PoolStats> stats =
        pools.stream()
            .map(
                pool -> {
                  int used = provisioned.getOrDefault(pool, 0);
                  return new PoolStats(
                      pool,
                      totalCapacityGb,
                      totalCapacityGb - used,
                      used,
                      provisioning.thin(),
                      provisioning.thick(),
                      MAX_OVER_SUBSCRIPTION_RATIO,
                      0,
                      Map.of(
                          "total_volumes", String.valueOf(count.getOrDefault(pool, 0)),
                          "multiattach", "false",
                          "QoS_support", "false",
                          "backend_state", "up"));
                })
            .toList();
    return new VolumeStats(backendName, "Ember", VERSION, "fake", stats);
  }

  /** Whether the backend holds {@code volumeId}. */
  public boolean holds(String volumeId) {
    return volumes.containsKey(volumeId);
  }

  /** The back-end QoS the volume was created with, or null (none, or not held). */
  public QosSpecs qosSpecs(String volumeId) {
    DriverVolume held = volumes.get(volumeId);
    return held == null ? null : held.qosSpecs();
  }

  /**
   * A gauge per QoS spec (id, consumer and keys as tags): how many volumes this backend holds with
   * it. Few series: one per distinct spec the host has seen.
   */
  private void showQos(QosSpecs qos) {
    if (meters == null || qos == null) {
      return;
    }
    String keys =
        new TreeMap<>(qos.specs())
            .entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    String series = qos.id() + "|" + qos.consumer() + "|" + keys;
    if (qosGauges.add(series)) {
      Gauge.builder("ember.fake.qos.volumes", volumes, held -> count(held, qos))
          .description("Volumes the fake backend holds with this back-end QoS spec")
          .tag("qos_specs_id", String.valueOf(qos.id()))
          .tag("consumer", String.valueOf(qos.consumer()))
          .tag("specs", keys)
          .register(meters);
    }
  }

  private static double count(Map<String, DriverVolume> held, QosSpecs qos) {
    return held.values().stream().filter(v -> qos.equals(v.qosSpecs())).count();
  }

  /** How many times create was called for {@code volumeId}: lets tests see duplicate work. */
  public int createCalls(String volumeId) {
    AtomicInteger calls = createCalls.get(volumeId);
    return calls == null ? 0 : calls.get();
  }

  private boolean injected(String hosts) {
    if (hosts == null || hosts.isBlank()) {
      return false;
    }
    return Arrays.stream(hosts.split(","))
        .map(String::trim)
        .anyMatch(h -> h.equals("*") || h.equals(host));
  }

  private void pause() {
    if (delay.isZero() || delay.isNegative()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VolumeDriverException("interrupted");
    }
  }
}
