package io.ember.volume.driver;

/** What a driver reports back after creating a volume, as Cinder's {@code model_update}. */
public record ModelUpdate(String providerLocation) {}
