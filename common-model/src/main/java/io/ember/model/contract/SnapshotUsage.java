package io.ember.model.contract;

import java.time.Instant;
import java.util.Map;

/**
 * The payload of {@code snapshot.*} notifications, with the fields of Cinder's usage info ({@code
 * _usage_from_snapshot}).
 *
 * @param availabilityZone the snapshot's volume's
 * @param volumeSize the snapshot's size in GiB (its volume's when it was taken)
 * @param deleted Cinder's soft-delete flag as it reports it: {@code "True"} once deleted, else
 *     {@code ""}
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
