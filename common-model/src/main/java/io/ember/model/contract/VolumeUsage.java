package io.ember.model.contract;

import java.time.Instant;
import java.util.Map;

/**
 * The payload of {@code volume.*} notifications, with the fields of Cinder's usage info ({@code
 * _usage_from_volume}) plus where the data came from.
 *
 * @param volumeType the volume type's id, as Cinder reports it
 * @param sourceVolid the volume this one was cloned from, else null
 * @param imageId the image this one was created from, else null
 * @param glanceMetadata the image properties captured on the volume ({@code
 *     volume_image_metadata}); null when it has none, as Cinder leaves the field out then
 */
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
    Map<String, String> metadata,
    String sourceVolid,
    String imageId,
    Map<String, String> glanceMetadata) {

  /** The usage of a volume whose data came from nowhere in particular (a raw volume). */
  public VolumeUsage(
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
    this(
        tenantId,
        userId,
        host,
        availabilityZone,
        volumeId,
        volumeType,
        displayName,
        createdAt,
        launchedAt,
        status,
        snapshotId,
        size,
        replicationStatus,
        metadata,
        null,
        null,
        null);
  }

  /** The usage of the volume {@code spec} describes, with the source ids of its spec. */
  public static VolumeUsage of(VolumeSpec spec, String host, String status, Instant launchedAt) {
    VolumeSource source = spec.source();
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
        source == null ? null : source.snapshotId(),
        spec.size(),
        "disabled",
        spec.metadata(),
        source == null ? null : source.sourceVolid(),
        source == null ? null : source.imageId(),
        null);
  }

  /** This usage with the image properties the volume holds (empty counts as none). */
  public VolumeUsage withGlanceMetadata(Map<String, String> imageMetadata) {
    return new VolumeUsage(
        tenantId,
        userId,
        host,
        availabilityZone,
        volumeId,
        volumeType,
        displayName,
        createdAt,
        launchedAt,
        status,
        snapshotId,
        size,
        replicationStatus,
        metadata,
        sourceVolid,
        imageId,
        imageMetadata == null || imageMetadata.isEmpty() ? null : Map.copyOf(imageMetadata));
  }
}
