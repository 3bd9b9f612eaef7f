package io.ember.scheduler.filter;

import io.ember.model.HostAddress;
import io.ember.model.contract.VolumeSource;
import io.ember.scheduler.capability.PoolState;

/**
 * A volume made from a snapshot or cloned from a volume goes to the backend ({@code host@backend})
 * that holds its source, as Cinder's {@code resource_backend} keeps it there: the backend copies
 * the data itself. Any pool of that backend that passes the other filters will do, as in Cinder,
 * which compares backends, not pools. A volume without such a source may go anywhere.
 */
public final class SourceBackendFilter implements PoolFilter {

  @Override
  public boolean passes(PoolState pool, FilterProperties request) {
    VolumeSource source = request.volume().source();
    if (source == null || source.sourceHost() == null || source.sourceHost().isBlank()) {
      return true;
    }
    return HostAddress.parse(source.sourceHost()).backendHost().equals(pool.backendHost());
  }
}
