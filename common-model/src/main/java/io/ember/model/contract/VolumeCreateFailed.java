package io.ember.model.contract;

/**
 * The volume could not be created and will not be retried.
 *
 * @param pool where the last attempt ran, or null when no backend was found
 * @param reason what went wrong, phrased for the user
 */
public record VolumeCreateFailed(String volumeId, String pool, String reason) {}
