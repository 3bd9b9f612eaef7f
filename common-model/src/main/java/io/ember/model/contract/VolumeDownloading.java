package io.ember.model.contract;

/**
 * volume host → api: the host is copying image {@code imageId} into the new volume on {@code pool};
 * the volume shows {@code downloading} until {@code volume.created} or {@code create_failed}.
 */
public record VolumeDownloading(String volumeId, String pool, String imageId) {}
