package io.ember.volume.driver;

/**
 * The storage driver contract, after Cinder's {@code VolumeDriver}: the manager decides what to do,
 * the driver only does it on its backend. Methods throw {@link VolumeDriverException} when the
 * backend refuses.
 */
public interface VolumeDriver {

  /** Connect to the backend; called once at start, before any command ({@code do_setup}). */
  void doSetup();

  /** Whether {@link #doSetup} succeeded; commands fail while it has not. */
  boolean initialized();

  /**
   * Creates a raw volume ({@code create_volume}).
   *
   * @return what the manager must remember about it
   */
  ModelUpdate createVolume(DriverVolume volume);

  /** Deletes a volume; deleting one the backend does not hold succeeds ({@code delete_volume}). */
  void deleteVolume(DriverVolume volume);

  /** Backend and per-pool capacity ({@code get_volume_stats(refresh=True)}). */
  VolumeStats getVolumeStats();
}
