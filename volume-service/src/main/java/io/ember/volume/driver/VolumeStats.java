package io.ember.volume.driver;

import java.util.List;

/** A backend's identity and its pools, as the top level of Cinder's {@code get_volume_stats}. */
public record VolumeStats(
    String volumeBackendName,
    String vendorName,
    String driverVersion,
    String storageProtocol,
    List<PoolStats> pools) {

  public VolumeStats {
    pools = List.copyOf(pools);
  }
}
