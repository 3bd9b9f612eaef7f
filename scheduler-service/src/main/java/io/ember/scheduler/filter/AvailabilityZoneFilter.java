package io.ember.scheduler.filter;

import io.ember.scheduler.capability.PoolState;
import java.util.Arrays;
import java.util.List;

/**
 * Cinder's AvailabilityZoneFilter: a volume that names a zone goes only to pools in that zone, and
 * a volume whose type lists zones ({@code RESKEY:availability_zones}, comma-separated) only to
 * pools in one of them. The api has already refused a named zone outside the type's list.
 */
public final class AvailabilityZoneFilter implements PoolFilter {

  /** The extra spec that limits a type to some zones. */
  public static final String TYPE_ZONES = "RESKEY:availability_zones";

  @Override
  public boolean passes(PoolState pool, FilterProperties request) {
    String zone = pool.report().availabilityZone();
    String wanted = request.volume().availabilityZone();
    if (wanted != null && !wanted.equals(zone)) {
      return false;
    }
    List<String> typeZones = typeZones(request.volume().extraSpecs().get(TYPE_ZONES));
    return typeZones == null || typeZones.contains(zone);
  }

  /** The zones of a type's spec (Cinder's split on commas, stripped), or null without one. */
  static List<String> typeZones(String spec) {
    if (spec == null) {
      return null;
    }
    return Arrays.stream(spec.split(",")).map(String::strip).filter(z -> !z.isEmpty()).toList();
  }
}
