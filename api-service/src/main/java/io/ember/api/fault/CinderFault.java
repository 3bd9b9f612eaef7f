package io.ember.api.fault;

/**
 * An error answered in Cinder's shape: {@code {"<fault name>": {"code": N, "message": "..."}}}.
 * Expected errors (bad input, missing resources, quota) are these; they are logged in one line.
 */
public class CinderFault extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public CinderFault(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** Cinder's fault name for a status code ({@code cinder/api/openstack/wsgi.py}). */
  public static String faultName(int status) {
    return switch (status) {
      case 400 -> "badRequest";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "itemNotFound";
      case 405 -> "badMethod";
      case 409 -> "conflictingRequest";
      case 413 -> "overLimit";
      case 415 -> "badMediaType";
      case 501 -> "notImplemented";
      case 503 -> "serviceUnavailable";
      default -> "computeFault";
    };
  }

  public static CinderFault badRequest(String message) {
    return new CinderFault(400, message);
  }

  public static CinderFault invalidInput(String reason) {
    return new CinderFault(400, "Invalid input received: " + reason);
  }

  public static CinderFault invalidVolume(String reason) {
    return new CinderFault(400, "Invalid volume: " + reason);
  }

  public static CinderFault notFound(String message) {
    return new CinderFault(404, message);
  }

  public static CinderFault volumeNotFound(Object id) {
    return new CinderFault(404, "Volume " + Echo.cap(String.valueOf(id)) + " could not be found.");
  }

  public static CinderFault snapshotNotFound(Object id) {
    return new CinderFault(
        404, "Snapshot " + Echo.cap(String.valueOf(id)) + " could not be found.");
  }

  public static CinderFault invalidSnapshot(String reason) {
    return new CinderFault(400, "Invalid snapshot: " + reason);
  }
}
