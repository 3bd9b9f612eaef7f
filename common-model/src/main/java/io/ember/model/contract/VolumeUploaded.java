package io.ember.model.contract;

/** volume host → api: the image holds the volume's bytes and is {@code active}. */
public record VolumeUploaded(String volumeId, String imageId) {}
