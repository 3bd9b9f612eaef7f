package io.ember.api.snapshot;

import java.util.List;

/** Snapshot statuses, spelled as Cinder's {@code SnapshotStatus} field. */
public final class SnapshotStatus {

  public static final String CREATING = "creating";
  public static final String AVAILABLE = "available";
  public static final String DELETING = "deleting";
  public static final String ERROR = "error";
  public static final String ERROR_DELETING = "error_deleting";
  public static final String RESTORING = "restoring";
  public static final String UNMANAGING = "unmanaging";

  /** Every status Cinder knows, in its order (an admin's reset may set any of them). */
  public static final List<String> ALL =
      List.of(
          "error",
          "available",
          "creating",
          "deleting",
          "deleted",
          "updating",
          "error_deleting",
          "unmanaging",
          "backing-up",
          "restoring");

  /** From which a normal delete may start. */
  public static final List<String> DELETABLE = List.of(AVAILABLE, ERROR);

  private SnapshotStatus() {}
}
