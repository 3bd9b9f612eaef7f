package io.ember.model.contract;

/**
 * api → scheduler: check that {@code destination} ({@code host@backend[#pool]}) passes the filters
 * for this volume and, if it does, have the volume's host move it there (Cinder's scheduler {@code
 * migrate_volume_to_host}).
 *
 * @param volume the volume as a placement request sees it (size, zone, type's extra specs)
 * @param sourcePool where the volume lives now
 */
public record MigrateVolumeToHost(
    VolumeSpec volume, String sourcePool, String destination, boolean forceHostCopy) {}
