package io.ember.model.contract;

/**
 * api → a host, a call: the backend objects that host could manage (Cinder's {@code
 * get_manageable_volumes} / {@code get_manageable_snapshots}); replied {@link ManageableList}.
 *
 * @param snapshots true for snapshots, false for volumes
 */
public record ListManageable(String host, boolean snapshots) {}
