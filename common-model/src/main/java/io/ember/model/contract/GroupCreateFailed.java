package io.ember.model.contract;

/** scheduler → api: no pool suits the group; it goes to {@code error}. */
public record GroupCreateFailed(String groupId, String reason) {}
