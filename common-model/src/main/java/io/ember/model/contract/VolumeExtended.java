package io.ember.model.contract;

/** volume host → api: the volume now has {@code newSize} GiB; its first bytes are unchanged. */
public record VolumeExtended(String volumeId, int oldSize, int newSize) {}
