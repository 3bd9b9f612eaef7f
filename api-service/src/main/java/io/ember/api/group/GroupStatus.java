package io.ember.api.group;

import java.util.Set;

/** Cinder's group statuses ({@code objects/fields.py GroupStatus}). */
public final class GroupStatus {

  public static final String CREATING = "creating";
  public static final String AVAILABLE = "available";
  public static final String ERROR = "error";
  public static final String DELETING = "deleting";
  public static final String UPDATING = "updating";
  public static final String IN_USE = "in-use";
  public static final String ERROR_DELETING = "error_deleting";

  /** What {@code reset_status} may set ({@code GroupStatus.ALL}). */
  public static final Set<String> ALL =
      Set.of(ERROR, AVAILABLE, CREATING, DELETING, "deleted", UPDATING, IN_USE, ERROR_DELETING);

  private GroupStatus() {}
}
