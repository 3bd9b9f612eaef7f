package io.ember.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** Volume statuses, spelled on the wire exactly as Cinder's {@code VolumeStatus} field. */
public enum VolumeStatus {
  CREATING("creating"),
  AVAILABLE("available"),
  DELETING("deleting"),
  ERROR("error"),
  ERROR_DELETING("error_deleting"),
  ERROR_MANAGING("error_managing"),
  MANAGING("managing"),
  ATTACHING("attaching"),
  IN_USE("in-use"),
  DETACHING("detaching"),
  MAINTENANCE("maintenance"),
  RESTORING_BACKUP("restoring-backup"),
  ERROR_RESTORING("error_restoring"),
  RESERVED("reserved"),
  AWAITING_TRANSFER("awaiting-transfer"),
  BACKING_UP("backing-up"),
  ERROR_BACKING_UP("error_backing-up"),
  ERROR_EXTENDING("error_extending"),
  DOWNLOADING("downloading"),
  UPLOADING("uploading"),
  RETYPING("retyping"),
  EXTENDING("extending"),
  UNMANAGING("unmanaging"),
  ERROR_UNMANAGING("error_unmanaging");

  /** Statuses from which a normal (non-force) delete may start, as in Cinder's volume API. */
  public static final Set<VolumeStatus> DELETABLE =
      EnumSet.of(AVAILABLE, ERROR, ERROR_RESTORING, ERROR_EXTENDING, ERROR_MANAGING);

  private final String wire;

  VolumeStatus(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static VolumeStatus fromWire(String value) {
    return Arrays.stream(values())
        .filter(s -> s.wire.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown volume status: " + value));
  }

  @Override
  public String toString() {
    return wire;
  }
}
