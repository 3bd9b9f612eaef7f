package io.ember.scheduler.weigher;

import io.ember.scheduler.capability.PoolState;

/** A pool with its combined, normalised weight: higher wins. */
public record WeighedPool(PoolState pool, double weight) {}
