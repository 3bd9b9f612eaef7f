package io.ember.model.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * Scheduling attempts so far, as Cinder's {@code filter_properties['retry']}: the backends already
 * tried (never chosen again) and the last failure.
 */
public record Retry(int attempts, List<String> triedHosts, String lastError) {

  public Retry {
    triedHosts = triedHosts == null ? List.of() : List.copyOf(triedHosts);
  }

  public static Retry first() {
    return new Retry(0, List.of(), null);
  }

  /** This retry after a failure on {@code host}. */
  public Retry failedOn(String host, String error) {
    List<String> tried = new ArrayList<>(triedHosts);
    if (!tried.contains(host)) {
      tried.add(host);
    }
    return new Retry(attempts, tried, error);
  }

  public Retry nextAttempt() {
    return new Retry(attempts + 1, triedHosts, lastError);
  }
}
