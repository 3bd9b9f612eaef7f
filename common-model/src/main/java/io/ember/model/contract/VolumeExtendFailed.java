package io.ember.model.contract;

/** volume host → api: the backend did not grow the volume; it goes to {@code error_extending}. */
public record VolumeExtendFailed(String volumeId, int oldSize, int newSize, String reason) {}
