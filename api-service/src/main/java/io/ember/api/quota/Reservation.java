package io.ember.api.quota;

import java.util.SortedMap;

/** Quota held for one request until its transaction commits it or rolls it back. */
public record Reservation(String projectId, SortedMap<String, Integer> deltas) {}
