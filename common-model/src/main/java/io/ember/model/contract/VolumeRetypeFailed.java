package io.ember.model.contract;

/**
 * scheduler or volume host → api: the volume keeps its type and goes back to its previous status.
 *
 * @param noValidBackend true when the scheduler found the volume's backend unfit for the new type
 *     (and no migration was allowed or possible), false when the backend's driver failed
 */
public record VolumeRetypeFailed(
    String volumeId, String newTypeId, String reason, boolean noValidBackend) {}
