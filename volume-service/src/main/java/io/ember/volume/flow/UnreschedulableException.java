package io.ember.volume.flow;

/**
 * A create failure no other backend would fix, as the exceptions of Cinder's no-reschedule list
 * ({@code SnapshotNotFound}, {@code VolumeNotFound}, {@code ImageUnacceptable}, {@code
 * ImageTooBig}, {@code ImageCopyFailure}): the volume goes to {@code error} even when a reschedule
 * is allowed. The message is Cinder's, fit to show a user.
 */
public final class UnreschedulableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private UnreschedulableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  static UnreschedulableException snapshotNotFound(String snapshotId) {
    return new UnreschedulableException("Snapshot " + snapshotId + " could not be found.", null);
  }

  static UnreschedulableException volumeNotFound(String volumeId) {
    return new UnreschedulableException("Volume " + volumeId + " could not be found.", null);
  }

  /** Cinder answers a missing image with {@code ImageNotFound}; no other host would find it. */
  static UnreschedulableException imageNotFound(String imageId) {
    return new UnreschedulableException("Image " + imageId + " could not be found.", null);
  }

  static UnreschedulableException imageUnacceptable(String imageId, String reason) {
    return new UnreschedulableException("Image " + imageId + " is unacceptable: " + reason, null);
  }

  static UnreschedulableException imageTooBig(String imageId, String reason) {
    return new UnreschedulableException(
        "Image " + imageId + " size exceeded available disk space: " + reason, null);
  }

  static UnreschedulableException imageCopyFailure(String reason, Throwable cause) {
    return new UnreschedulableException("Failed to copy image to volume: " + reason, cause);
  }
}
