package io.ember.model.contract;

/**
 * api → volume host, a call: Cinder's legacy {@code attach_volume} ({@code os-attach}), announced
 * with {@code volume.attach.start/end}. The reply has no result.
 */
public record AttachVolume(
    String volumeId,
    String projectId,
    String pool,
    String attachmentId,
    String instanceUuid,
    String hostName,
    String mountpoint,
    String mode) {}
