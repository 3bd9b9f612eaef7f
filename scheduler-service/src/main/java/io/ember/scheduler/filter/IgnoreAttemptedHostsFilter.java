package io.ember.scheduler.filter;

import io.ember.model.HostAddress;
import io.ember.scheduler.capability.PoolState;

/**
 * A rescheduled volume never goes back to a {@code host@backend} that already tried it. Off by
 * default in Cinder; always on in Ember.
 */
public final class IgnoreAttemptedHostsFilter implements PoolFilter {

  @Override
  public boolean passes(PoolState pool, FilterProperties request) {
    String host = pool.backendHost();
    return request.retry().triedHosts().stream()
        .noneMatch(tried -> HostAddress.parse(tried).backendHost().equals(host));
  }
}
