package io.ember.scheduler.filter;

import io.ember.scheduler.capability.Capabilities;
import io.ember.scheduler.capability.PoolState;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Cinder's CapabilitiesFilter: every unscoped or {@code capabilities:}-scoped extra spec of the
 * volume type must match the pool's capability of that name (see {@link ExtraSpecsOps}). Other
 * scopes ({@code provisioning:}, {@code qos:}, vendor prefixes) belong to others and are skipped; a
 * missing capability fails.
 */
public final class CapabilitiesFilter implements PoolFilter {

  private static final Logger LOG = Logger.getLogger(CapabilitiesFilter.class);
  private static final String SCOPE = "capabilities";

  @Override
  public boolean passes(PoolState pool, FilterProperties request) {
    Map<String, String> specs = request.volume().extraSpecs();
    if (specs.isEmpty()) {
      return true;
    }
    Map<String, Object> capabilities = Capabilities.of(pool);
    for (Map.Entry<String, String> spec : specs.entrySet()) {
      String key = spec.getKey();
      int colon = key.indexOf(':');
      if (colon >= 0) {
        if (!key.substring(0, colon).equals(SCOPE)) {
          continue;
        }
        // Cinder walks nested dictionaries for "capabilities:a:b"; Ember's are flat, so the rest
        // of the key names one capability.
        key = key.substring(colon + 1);
      }
      if (!matches(capabilities.get(key), spec.getValue())) {
        LOG.debugf(
            "%s: extra spec %s=%s does not match reported capability %s",
            pool.name(), spec.getKey(), spec.getValue(), capabilities.get(key));
        return false;
      }
    }
    return true;
  }

  /**
   * Ember's reports hold only scalar capabilities (extra ones are strings), so Cinder's rule for a
   * list-valued one (any element matches) has nothing to apply to.
   */
  private static boolean matches(Object capability, String requirement) {
    return ExtraSpecsOps.match(asString(capability), requirement);
  }

  /** Capabilities as Cinder would print them: booleans as {@code True}/{@code False}. */
  private static String asString(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    return value.toString();
  }
}
