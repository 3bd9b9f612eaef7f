package io.ember.model.contract;

import java.time.Instant;
import java.util.Map;

/**
 * The payload of {@code snapshot.*} notifications, with the fields of Cinder's snapshot usage info
 * ({@code _usage_from_snapshot}).
 *
 * @param availabilityZone the zone of the snapshot's volume
 * @param volumeSize GiB of the volume when the snapshot was taken
 * @param deleted {@code "True"} or {@code "False"}: Cinder sends the flag as a string
 */
public record SnapshotUsage(
    String tenantId,
    String userId,
    String availabilityZone,
    String volumeId,
    int volumeSize,
    String snapshotId,
    String displayName,
    Instant createdAt,
    String status,
    String deleted,
    Map<String, String> metadata) {

  public SnapshotUsage {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
