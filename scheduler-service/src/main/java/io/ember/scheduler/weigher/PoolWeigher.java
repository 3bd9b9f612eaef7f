package io.ember.scheduler.weigher;

import io.ember.scheduler.capability.PoolState;
import io.ember.scheduler.filter.FilterProperties;

/** One of Cinder's weighers: a raw score per pool, normalised and scaled by its multiplier. */
public interface PoolWeigher {

  double weigh(PoolState pool, FilterProperties request);

  double multiplier();
}
