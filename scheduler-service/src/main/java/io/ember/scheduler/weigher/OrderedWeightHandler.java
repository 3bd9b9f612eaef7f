package io.ember.scheduler.weigher;

import io.ember.scheduler.capability.PoolState;
import io.ember.scheduler.filter.FilterProperties;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cinder's {@code OrderedHostWeightHandler}: each weigher's raw scores are normalised to [0, 1]
 * (all equal → all 0), scaled by the weigher's multiplier and summed; the best pool comes first.
 * Equal weights are ordered by pool name, so a decision can be reproduced from the same view.
 */
public final class OrderedWeightHandler {

  private OrderedWeightHandler() {}

  public static List<WeighedPool> weigh(
      List<PoolState> pools, List<PoolWeigher> weighers, FilterProperties request) {
    double[] total = new double[pools.size()];
    for (PoolWeigher weigher : weighers) {
      double[] raw = new double[pools.size()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = weigher.weigh(pools.get(i), request);
      }
      double[] normalised = normalise(raw);
      for (int i = 0; i < total.length; i++) {
        total[i] += weigher.multiplier() * normalised[i];
      }
    }
    List<WeighedPool> weighed = new ArrayList<>(pools.size());
    for (int i = 0; i < total.length; i++) {
      weighed.add(new WeighedPool(pools.get(i), total[i]));
    }
    weighed.sort(
        Comparator.comparingDouble(WeighedPool::weight)
            .reversed()
            .thenComparing(w -> w.pool().name()));
    return weighed;
  }

  static double[] normalise(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double[] out = new double[values.length];
    if (values.length == 0 || min == max) {
      return out;
    }
    for (int i = 0; i < values.length; i++) {
      out[i] = (values[i] - min) / (max - min);
    }
    return out;
  }
}
