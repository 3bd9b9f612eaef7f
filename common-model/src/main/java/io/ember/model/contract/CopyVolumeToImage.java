package io.ember.model.contract;

/**
 * api → the volume's host: write the volume's bytes into the image {@code imageId}, already created
 * {@code queued} by the API, in {@code diskFormat} ({@code copy_volume_to_image}).
 */
public record CopyVolumeToImage(
    String volumeId,
    String projectId,
    String pool,
    String imageId,
    String diskFormat,
    String containerFormat) {}
