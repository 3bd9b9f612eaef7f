package io.ember.api.auth;

import io.ember.api.fault.CinderFault;
import io.ember.model.RequestContext;

/**
 * Cinder's default policy for the volume admin actions: admins only, refused with the rule's name
 * ({@code volume_extension:volume_admin_actions:<action>}).
 */
public final class AdminPolicy {

  private AdminPolicy() {}

  /** Throws Cinder's 403 unless the caller is an admin. */
  public static void require(RequestContext caller, String action) {
    if (!caller.isAdmin()) {
      throw new CinderFault(
          403,
          "Policy doesn't allow volume_extension:volume_admin_actions:"
              + action
              + " to be performed.");
    }
  }

  /** Throws Cinder's 403 for the policy rule {@code rule} unless the caller is an admin. */
  public static void requireRule(RequestContext caller, String rule) {
    if (!caller.isAdmin()) {
      throw new CinderFault(403, "Policy doesn't allow " + rule + " to be performed.");
    }
  }
}
