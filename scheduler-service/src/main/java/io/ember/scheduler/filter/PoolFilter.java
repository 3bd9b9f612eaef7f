package io.ember.scheduler.filter;

import io.ember.scheduler.capability.PoolState;

/** One of Cinder's backend filters: may a volume go to this pool at all? */
public interface PoolFilter {

  boolean passes(PoolState pool, FilterProperties request);

  default String name() {
    return getClass().getSimpleName();
  }
}
