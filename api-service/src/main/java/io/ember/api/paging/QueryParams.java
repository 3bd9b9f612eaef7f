package io.ember.api.paging;

import io.ember.api.fault.CinderFault;
import java.util.Set;

/** How Cinder reads the query parameters every list shares ({@code api/common.py}, utils). */
public final class QueryParams {

  private static final Set<String> TRUE = Set.of("1", "true", "yes", "on", "y", "t");

  private QueryParams() {}

  /** {@code limit}, {@code offset}, a size: a whole number ≥ 0, else Cinder's 400. */
  public static int nonNegativeInt(String name, String value) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw CinderFault.badRequest(name + " param must be an integer");
    }
  }

  /** {@code all_tenants=1} and the like, as oslo's {@code bool_from_string}. */
  public static boolean truthy(String value) {
    return value != null && TRUE.contains(value.toLowerCase());
  }
}
