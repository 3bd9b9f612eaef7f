package io.ember.api.fault;

/**
 * Cinder's {@code QuotaError} family: 413, the message prefixed with the exception class name,
 * {@code retryAfter} "0" (as {@code cinder/api/middleware/fault.py} renders it).
 */
public class QuotaExceeded extends CinderFault {
  private static final long serialVersionUID = 1L;

  public QuotaExceeded(String exceptionName, String message) {
    super(413, exceptionName + ": " + message);
  }

  public static QuotaExceeded volumeLimit(int allowed, String resource) {
    return new QuotaExceeded(
        "VolumeLimitExceeded",
        "Maximum number of volumes allowed ("
            + allowed
            + ") exceeded for quota '"
            + resource
            + "'.");
  }

  public static QuotaExceeded gigabytes(String resource, int requested, int quota, int consumed) {
    return new QuotaExceeded(
        "VolumeSizeExceedsAvailableQuota",
        "Requested volume or snapshot exceeds allowed "
            + resource
            + " quota. Requested "
            + requested
            + "G, quota is "
            + quota
            + "G and "
            + consumed
            + "G has been consumed.");
  }

  public static QuotaExceeded perVolume(int size, int limit) {
    return new QuotaExceeded(
        "VolumeSizeExceedsLimit",
        "Requested volume size " + size + "G is larger than maximum allowed limit " + limit + "G.");
  }

  /** Cinder's {@code SnapshotLimitExceeded} (its message has no full stop). */
  public static QuotaExceeded snapshotLimit(int allowed) {
    return new QuotaExceeded(
        "SnapshotLimitExceeded", "Maximum number of snapshots allowed (" + allowed + ") exceeded");
  }

  /** Cinder's {@code GroupLimitExceeded} (no full stop either). */
  public static QuotaExceeded groupLimit(int allowed) {
    return new QuotaExceeded(
        "GroupLimitExceeded", "Maximum number of groups allowed (" + allowed + ") exceeded");
  }
}
