package io.ember.model.contract;

import java.time.Instant;
import java.util.Map;

/** The payload of {@code volume.*} notifications, with the fields of Cinder's usage info. */
public record VolumeUsage(
    String tenantId,
    String userId,
    String host,
    String availabilityZone,
    String volumeId,
    String volumeType,
    String displayName,
    Instant createdAt,
    Instant launchedAt,
    String status,
    String snapshotId,
    int size,
    String replicationStatus,
    Map<String, String> metadata) {

  public static VolumeUsage of(VolumeSpec spec, String host, String status, Instant launchedAt) {
    return new VolumeUsage(
        spec.projectId(),
        spec.userId(),
        host,
        spec.availabilityZone(),
        spec.volumeId(),
        spec.volumeTypeId(),
        spec.name(),
        spec.createdAt(),
        launchedAt,
        status,
        spec.source() == null ? null : spec.source().snapshotId(),
        spec.size(),
        "disabled",
        spec.metadata());
  }
}
