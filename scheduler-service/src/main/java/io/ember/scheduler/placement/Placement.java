package io.ember.scheduler.placement;

import io.ember.scheduler.capability.PoolState;

/**
 * The pool chosen for a volume.
 *
 * @param pool the pool as it was seen when chosen (before this volume was counted on it)
 * @param weight its combined weight
 * @param trail how many pools each filter left, for the decision's log line
 */
public record Placement(PoolState pool, double weight, String trail) {}
