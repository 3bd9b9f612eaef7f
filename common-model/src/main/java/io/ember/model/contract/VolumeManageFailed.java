package io.ember.model.contract;

/**
 * scheduler or volume host → api: the object was not adopted (no such host, filters refused it, or
 * the driver did not find it); the volume goes to {@code error_managing}.
 */
public record VolumeManageFailed(String volumeId, String pool, String reason) {}
