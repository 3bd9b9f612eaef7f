package io.ember.model.contract;

/**
 * Where a new volume's data comes from, as Cinder's request spec carries it; at most one of the
 * three ids is set. A volume with no source is raw, and its spec carries no source at all, or only
 * the backend to be on (a volume of a group).
 *
 * @param sourceHost the {@code host@backend#pool} that holds the snapshot's volume or the source
 *     volume; the scheduler places the new volume on that backend (Cinder's {@code
 *     resource_backend}). Null for an image.
 */
public record VolumeSource(
    String snapshotId, String sourceVolid, String imageId, String sourceHost) {

  public static VolumeSource snapshot(String snapshotId, String sourceHost) {
    return new VolumeSource(snapshotId, null, null, sourceHost);
  }

  public static VolumeSource volume(String sourceVolid, String sourceHost) {
    return new VolumeSource(null, sourceVolid, null, sourceHost);
  }

  /** No data to copy, but a backend to be on: a volume of a group placed on {@code groupHost}. */
  public static VolumeSource group(String groupHost) {
    return new VolumeSource(null, null, null, groupHost);
  }

  public static VolumeSource image(String imageId) {
    return new VolumeSource(null, null, imageId, null);
  }
}
