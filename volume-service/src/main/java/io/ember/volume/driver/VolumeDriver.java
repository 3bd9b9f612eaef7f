package io.ember.volume.driver;

import io.ember.model.contract.ManageableList;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;

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

  /**
   * Creates a volume holding the snapshot's bytes ({@code create_volume_from_snapshot}); a volume
   * larger than the snapshot reads zeros past the snapshot's end.
   */
  ModelUpdate createVolumeFromSnapshot(DriverVolume volume, DriverSnapshot snapshot);

  /** Creates a volume holding the source volume's bytes now ({@code create_cloned_volume}). */
  ModelUpdate createClonedVolume(DriverVolume volume, DriverVolume source);

  /**
   * Writes a raw image into a volume the driver already holds, from its first byte ({@code
   * copy_image_to_volume}); the stream is read to its end and not closed.
   *
   * @throws IOException when the image cannot be read
   * @throws VolumeDriverException when the image holds more bytes than the volume
   */
  void copyImageToVolume(DriverVolume volume, InputStream image) throws IOException;

  /**
   * Writes all of the volume's bytes to {@code image} ({@code copy_volume_to_image}); the stream is
   * not closed.
   *
   * @throws IOException when the image cannot be written
   */
  void copyVolumeToImage(DriverVolume volume, OutputStream image) throws IOException;

  /**
   * Changes the volume to a new type where it is ({@code retype}), given the new type's extra
   * specs.
   *
   * @return false when this backend cannot hold the volume as the new type asks (it would have to
   *     move); true when it now does
   * @throws VolumeDriverException when the backend fails
   */
  boolean retype(DriverVolume volume, Map<String, String> newExtraSpecs);

  /** Deletes a volume; deleting one the backend does not hold succeeds ({@code delete_volume}). */
  void deleteVolume(DriverVolume volume);

  /**
   * Takes a point-in-time copy of the snapshot's volume ({@code create_snapshot}).
   *
   * @return what the manager must remember about the snapshot
   */
  ModelUpdate createSnapshot(DriverSnapshot snapshot);

  /**
   * Deletes a snapshot; deleting one the backend does not hold succeeds ({@code delete_snapshot}).
   */
  void deleteSnapshot(DriverSnapshot snapshot);

  /**
   * Grows a volume to {@code newSize} GiB ({@code extend_volume}): its bytes stay, the added region
   * reads zeros.
   */
  void extendVolume(DriverVolume volume, int newSize);

  /**
   * Exports a volume to a connector ({@code initialize_connection}); asked again for the same
   * connector, it answers the same connection.
   *
   * @param connector the host's connector (initiator, ip, host ...)
   */
  DriverConnection initializeConnection(DriverVolume volume, Map<String, Object> connector);

  /**
   * Ends a volume's connection to a connector ({@code terminate_connection}); every connection when
   * {@code connector} is null. Ending one that does not exist succeeds.
   */
  void terminateConnection(DriverVolume volume, Map<String, Object> connector, boolean force);

  /**
   * Puts the volume's bytes back to what the snapshot holds ({@code revert_to_snapshot}); a volume
   * grown since reads zeros past the snapshot's end and keeps its size.
   */
  void revertToSnapshot(DriverVolume volume, DriverSnapshot snapshot);

  /**
   * The volume's bytes, to read (and write when {@code writable}) at any position: for data moves
   * and tests. The caller closes the channel.
   */
  SeekableByteChannel openVolume(DriverVolume volume, boolean writable) throws IOException;

  /**
   * Moves the volume to {@code destPool} ({@code host@backend#pool}) by the backend's own means,
   * when it can ({@code migrate_volume}).
   *
   * @return the volume's provider location there; null when the driver cannot, and the manager
   *     copies the bytes itself instead
   */
  ModelUpdate migrateVolume(DriverVolume volume, String destPool);

  /**
   * After a copying migration, makes {@code newVolume} (the copy's target) the volume itself, under
   * the volume's own id where the backend can rename it ({@code update_migrated_volume}).
   *
   * @return the volume's provider location now
   */
  ModelUpdate updateMigratedVolume(DriverVolume volume, DriverVolume newVolume);

  /**
   * Hands the volume to another project ({@code accept_transfer}): where a backend ties a volume's
   * export to its project, the driver changes it here. Ember's drivers tie nothing to a project.
   */
  default void acceptTransfer(DriverVolume volume, String newUserId, String newProjectId) {}

  /**
   * Forgets a volume but keeps its bytes on the backend, where {@link #manageExisting} can adopt
   * them again ({@code unmanage}); forgetting one the backend does not hold succeeds.
   */
  default void unmanage(DriverVolume volume) {
    throw new VolumeDriverException("unmanage is not supported by this driver");
  }

  /**
   * The size in GiB, rounded up, of the backend object {@code ref} names ({@code
   * manage_existing_get_size}).
   *
   * @throws VolumeDriverException with Cinder's invalid-reference message when it names nothing
   */
  default int manageExistingGetSize(DriverVolume volume, Map<String, String> ref) {
    throw new VolumeDriverException("manage_existing is not supported by this driver");
  }

  /** Makes the backend object {@code ref} names the volume ({@code manage_existing}). */
  default ModelUpdate manageExisting(DriverVolume volume, Map<String, String> ref) {
    throw new VolumeDriverException("manage_existing is not supported by this driver");
  }

  /** As {@link #unmanage}, for a snapshot ({@code unmanage_snapshot}). */
  default void unmanageSnapshot(DriverSnapshot snapshot) {
    throw new VolumeDriverException("unmanage_snapshot is not supported by this driver");
  }

  /**
   * Makes the backend snapshot {@code ref} names the snapshot of a volume the backend holds ({@code
   * manage_existing_snapshot}).
   *
   * @return what the manager must remember, with the snapshot's size in GiB
   */
  default ManagedSnapshot manageExistingSnapshot(DriverSnapshot snapshot, Map<String, String> ref) {
    throw new VolumeDriverException("manage_existing_snapshot is not supported by this driver");
  }

  /** What {@link #manageExistingSnapshot} adopted. */
  record ManagedSnapshot(int size, String providerLocation) {}

  /**
   * Every volume-like object on the backend, managed or not ({@code get_manageable_volumes} without
   * its paging, which the API does).
   */
  default List<ManageableList.Item> manageableVolumes() {
    return List.of();
  }

  /** Every snapshot on the backend, managed or not ({@code get_manageable_snapshots}). */
  default List<ManageableList.Item> manageableSnapshots() {
    return List.of();
  }

  /** Backend and per-pool capacity ({@code get_volume_stats(refresh=True)}). */
  VolumeStats getVolumeStats();
}
