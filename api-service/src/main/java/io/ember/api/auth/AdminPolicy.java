package io.ember.api.auth;

import io.ember.api.fault.CinderFault;
import io.ember.model.RequestContext;
import java.util.List;

/**
 * Cinder's default policy (its "new defaults": admin, member and reader roles, project-scoped). A
 * refusal is Cinder's 403 naming the rule. The caller's project is the URL's (the auth filters make
 * sure of that), so a role in the token's project is a role in the target project.
 *
 * <p>Roles imply one another as Keystone's bootstrap sets them up (admin → member → reader), so a
 * token without the implied roles listed decides the same. In noauth mode the callers are {@code
 * member}, or {@code admin} for {@code ember.auth.admin-users}: the same rules give the same
 * answers as before.
 */
public final class AdminPolicy {

  /** What a rule asks of the caller. */
  public enum Level {
    /** Cinder's PROJECT_READER_OR_ADMIN. */
    READER,
    /** Cinder's PROJECT_MEMBER_OR_ADMIN. */
    MEMBER,
    /** Cinder's ADMIN / admin_api. */
    ADMIN
  }

  /** The operator's policy file, read at start ({@link PolicyFile}); none: Cinder's defaults. */
  private static volatile PolicyRules overrides = PolicyRules.NONE;

  private AdminPolicy() {}

  /** Uses {@code rules} from now on for the rules they set. */
  static void use(PolicyRules rules) {
    overrides = rules;
  }

  /** Throws Cinder's 403 unless the caller is an admin. */
  public static void require(RequestContext caller, String action) {
    requireRule(caller, "volume_extension:volume_admin_actions:" + action);
  }

  /** Throws Cinder's 403 for the policy rule {@code rule} unless the caller is an admin. */
  public static void requireRule(RequestContext caller, String rule) {
    require(caller, rule, Level.ADMIN);
  }

  /**
   * Throws Cinder's 403 for {@code rule} unless the caller's roles meet {@code level}, or the
   * policy file's check when it sets the rule.
   */
  public static void require(RequestContext caller, String rule, Level level) {
    PolicyRules rules = overrides;
    boolean allowed =
        rules.overrides(rule)
            ? rules.allows(rule, caller.roles(), caller.projectId() != null)
            : allows(caller.roles(), level);
    if (!allowed) {
      throw new CinderFault(403, "Policy doesn't allow " + rule + " to be performed.");
    }
  }

  /** Whether roles meet a level. */
  public static boolean allows(List<String> roles, Level level) {
    boolean admin = roles.contains("admin");
    boolean member = admin || roles.contains("member");
    boolean reader = member || roles.contains("reader");
    return switch (level) {
      case ADMIN -> admin;
      case MEMBER -> member;
      case READER -> reader;
    };
  }
}
