package io.ember.model.contract;

/** Delete a volume from the pool that holds it. */
public record DeleteVolume(String volumeId, String projectId, String pool, int size) {}
