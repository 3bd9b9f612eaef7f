package io.ember.model.contract;

/** scheduler → api: the group is placed on {@code pool} ({@code host@backend#pool}). */
public record GroupCreated(String groupId, String pool) {}
