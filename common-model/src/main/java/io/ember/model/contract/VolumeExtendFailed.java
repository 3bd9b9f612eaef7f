package io.ember.model.contract;

/**
 * scheduler or volume host → api: the volume was not grown.
 *
 * @param noValidBackend true when the scheduler found no room on the volume's pool (the volume goes
 *     back to its previous status, as Cinder's scheduler sets it), false when the backend failed
 *     ({@code error_extending})
 */
public record VolumeExtendFailed(
    String volumeId, int oldSize, int newSize, String reason, boolean noValidBackend) {

  /** The backend's failure, as the volume host reports it. */
  public VolumeExtendFailed(String volumeId, int oldSize, int newSize, String reason) {
    this(volumeId, oldSize, newSize, reason, false);
  }
}
