package io.ember.scheduler.placement;

import io.ember.model.HostAddress;
import io.ember.model.contract.Retry;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.capability.PoolState;
import io.ember.scheduler.config.SchedulerConfig;
import io.ember.scheduler.filter.AvailabilityZoneFilter;
import io.ember.scheduler.filter.CapabilitiesFilter;
import io.ember.scheduler.filter.CapacityFilter;
import io.ember.scheduler.filter.FilterProperties;
import io.ember.scheduler.filter.IgnoreAttemptedHostsFilter;
import io.ember.scheduler.filter.PoolFilter;
import io.ember.scheduler.filter.SourceBackendFilter;
import io.ember.scheduler.weigher.CapacityWeigher;
import io.ember.scheduler.weigher.OrderedWeightHandler;
import io.ember.scheduler.weigher.PoolWeigher;
import io.ember.scheduler.weigher.WeighedPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Cinder's FilterScheduler: live pools → filters → weighers → the top pool, whose capacity is then
 * counted as taken until its host's report acknowledges the volume.
 */
@ApplicationScoped
public class FilterScheduler {

  private final PoolRegistry registry;
  private final int maxAttempts;
  private final List<PoolFilter> filters;
  private final List<PoolWeigher> weighers;

  @Inject
  public FilterScheduler(PoolRegistry registry, SchedulerConfig config) {
    this.registry = registry;
    this.maxAttempts = config.maxAttempts();
    // Cinder's default filters, plus IgnoreAttemptedHostsFilter (always on in Ember); the source's
    // backend first, as Cinder drops other backends for a snapshot's or volume's copy.
    this.filters =
        List.of(
            new SourceBackendFilter(),
            new AvailabilityZoneFilter(),
            new CapacityFilter(),
            new CapabilitiesFilter(),
            new IgnoreAttemptedHostsFilter());
    this.weighers = List.of(new CapacityWeigher(config.capacityWeightMultiplier()));
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Chooses a pool and counts the volume on it. Synchronized so that two decisions never both see
   * the same free space.
   *
   * @param request with {@code retry} already counting this attempt
   * @throws NoValidBackendException when attempts are exhausted or no pool fits
   */
  public synchronized Placement schedule(FilterProperties request) {
    String volumeId = request.volume().volumeId();
    if (request.retry().attempts() > maxAttempts) {
      // Cinder's message, and then what the user could not see otherwise: where it was tried.
      throw new NoValidBackendException(
          "Exceeded max scheduling attempts "
              + maxAttempts
              + " for resource "
              + volumeId
              + attemptsTried(request.retry()),
          "");
    }
    List<PoolState> candidates = registry.livePools();
    StringBuilder trail = new StringBuilder("live=").append(candidates.size());
    for (PoolFilter filter : filters) {
      candidates = candidates.stream().filter(p -> filter.passes(p, request)).toList();
      trail.append(' ').append(filter.name()).append('=').append(candidates.size());
    }
    if (candidates.isEmpty()) {
      throw new NoValidBackendException("No weighed backends available", trail.toString());
    }
    List<WeighedPool> weighed = OrderedWeightHandler.weigh(candidates, weighers, request);
    WeighedPool top = weighed.get(0);
    registry.consume(top.pool().name(), volumeId, request.sizeGb());
    return new Placement(top.pool(), top.weight(), trail.toString());
  }

  /**
   * Cinder's {@code backend_passes_filters} for a migration: the filters run on the pools of {@code
   * destination} ({@code host@backend} or one pool of it) alone, and the best of those that pass is
   * the volume's new pool.
   *
   * @throws NoValidBackendException when no pool of the destination passes
   */
  public synchronized Placement placeOn(FilterProperties request, String destination) {
    HostAddress wanted = HostAddress.parse(destination);
    List<PoolState> candidates =
        registry.livePools().stream()
            .filter(
                p ->
                    wanted.pool() == null
                        ? p.backendHost().equals(wanted.backendHost())
                        : p.name().equals(wanted.toString()))
            .toList();
    StringBuilder trail = new StringBuilder("destination=").append(candidates.size());
    for (PoolFilter filter : filters) {
      candidates = candidates.stream().filter(p -> filter.passes(p, request)).toList();
      trail.append(' ').append(filter.name()).append('=').append(candidates.size());
    }
    if (candidates.isEmpty()) {
      throw new NoValidBackendException(
          "Cannot place volume " + request.volume().volumeId() + " on " + destination,
          trail.toString());
    }
    WeighedPool top = OrderedWeightHandler.weigh(candidates, weighers, request).get(0);
    return new Placement(top.pool(), top.weight(), trail.toString());
  }

  /**
   * Cinder's {@code backend_passes_filters} for an extend: the filters run on {@code pool} alone,
   * for a volume of the size the extend adds (Cinder's capacity filter asks for {@code new_size -
   * size}), and that size is then counted on the pool until its host reports again ({@code
   * consume_from_volume}).
   *
   * @param added the volume as a request for the GiB the extend adds
   * @param key what the added size is counted under ({@code CapabilityReport.extendKey})
   * @throws NoValidBackendException when the pool does not pass (no room, down, disabled)
   */
  public synchronized Placement extendOn(FilterProperties added, String pool, String key) {
    Placement placement = placeOn(added, pool);
    registry.consume(placement.pool().name(), key, added.sizeGb());
    return placement;
  }

  /**
   * Cinder's {@code schedule_create_group}: the pools that pass the filters for every volume type
   * of the group (one request each), the best of them by the first type's weighing. Nothing is
   * consumed: a group takes no space, its volumes are counted as they come.
   *
   * @throws NoValidBackendException when no pool suits every type
   */
  public synchronized Placement placeGroup(String groupId, List<FilterProperties> perType) {
    List<PoolState> candidates = registry.livePools();
    StringBuilder trail = new StringBuilder("live=").append(candidates.size());
    for (FilterProperties request : perType) {
      for (PoolFilter filter : filters) {
        if (filter instanceof SourceBackendFilter || filter instanceof IgnoreAttemptedHostsFilter) {
          continue; // a group has no source and no earlier attempts
        }
        candidates = candidates.stream().filter(p -> filter.passes(p, request)).toList();
        trail
            .append(' ')
            .append(request.volume().volumeTypeId())
            .append(':')
            .append(filter.name())
            .append('=')
            .append(candidates.size());
      }
    }
    if (candidates.isEmpty() || perType.isEmpty()) {
      throw new NoValidBackendException("No weighed backends available", trail.toString());
    }
    WeighedPool top = OrderedWeightHandler.weigh(candidates, weighers, perType.get(0)).get(0);
    return new Placement(top.pool(), top.weight(), trail.toString());
  }

  /**
   * The hosts tried and the last failure, e.g. {@code ; hosts tried: a@x, b@x (last error: ...)}.
   */
  private static String attemptsTried(Retry retry) {
    if (retry.triedHosts().isEmpty()) {
      return "";
    }
    return "; hosts tried: "
        + String.join(", ", retry.triedHosts())
        + (retry.lastError() == null ? "" : " (last error: " + retry.lastError() + ")");
  }

  /**
   * Cinder's {@code find_retype_backend}: the filters for the new type over the live pools, the
   * volume's own pool passing the capacity check as it already holds the volume. Nothing is
   * consumed: an in-place retype takes no new space.
   *
   * @param currentPool the pool that holds the volume
   * @param migrationAllowed whether another pool may be chosen (policy {@code on-demand})
   * @return the volume's own pool when it passes, else the best other pool when a migration is
   *     allowed
   * @throws NoValidBackendException when no pool passes, or only others and no migration is allowed
   */
  public synchronized PoolState findRetypeBackend(
      FilterProperties request, String currentPool, boolean migrationAllowed) {
    String volumeId = request.volume().volumeId();
    String type = request.volume().volumeTypeId();
    List<PoolState> candidates = registry.livePools();
    StringBuilder trail = new StringBuilder("live=").append(candidates.size());
    for (PoolFilter filter : filters) {
      if (filter instanceof SourceBackendFilter || filter instanceof IgnoreAttemptedHostsFilter) {
        continue; // no source to follow, no attempts before
      }
      candidates =
          candidates.stream()
              .filter(
                  p ->
                      (filter instanceof CapacityFilter && p.name().equals(currentPool))
                          || filter.passes(p, request))
              .toList();
      trail.append(' ').append(filter.name()).append('=').append(candidates.size());
    }
    if (candidates.isEmpty()) {
      throw new NoValidBackendException(
          "No valid backends for volume " + volumeId + " with type " + type, trail.toString());
    }
    for (PoolState pool : candidates) {
      if (pool.name().equals(currentPool)) {
        return pool;
      }
    }
    if (!migrationAllowed) {
      throw new NoValidBackendException(
          "Current backend not valid for volume "
              + volumeId
              + " with type "
              + type
              + ", migration not allowed",
          trail.toString());
    }
    return OrderedWeightHandler.weigh(candidates, weighers, request).get(0).pool();
  }
}
