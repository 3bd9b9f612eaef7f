package io.ember.api.volumeops;

import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A volume's user metadata as Cinder's {@code volume_metadata} controller keeps it: read, merged,
 * replaced, one key set or deleted; no change in {@code maintenance} or {@code uploading}.
 */
@ApplicationScoped
public class VolumeMetadataService {

  private static final Logger LOG = Logger.getLogger(VolumeMetadataService.class);
  private static final Set<String> FROZEN =
      Set.of(VolumeStatus.MAINTENANCE.wire(), VolumeStatus.UPLOADING.wire());

  @Inject VolumeService volumes;

  public Map<String, String> all(String volumeId, RequestContext caller) {
    return volumes.show(volumeId, caller).metadata;
  }

  public Map<String, String> one(String volumeId, String key, RequestContext caller) {
    Volume volume = volumes.show(volumeId, caller);
    String value = volume.metadata.get(key);
    if (value == null) {
      throw notFound(volumeId, key);
    }
    return Map.of(key, value);
  }

  /** POST merges ({@code replace} false), PUT replaces all; the metadata after. */
  @Transactional
  public Map<String, String> update(
      String volumeId, Map<String, String> metadata, boolean replace, RequestContext caller) {
    Volume volume = locked(volumeId, caller);
    refuseFrozen(volume, "Updating");
    Map<String, String> updated = new LinkedHashMap<>(replace ? Map.of() : volume.metadata);
    updated.putAll(metadata);
    volume.metadata = updated;
    volume.updatedAt = VolumeClock.now();
    LOG.infof(
        "volume %s metadata %s (%s keys)",
        volume.id, replace ? "replaced" : "updated", updated.size());
    return updated;
  }

  @Transactional
  public void delete(String volumeId, String key, RequestContext caller) {
    Volume volume = locked(volumeId, caller);
    if (!volume.metadata.containsKey(key)) {
      throw notFound(volumeId, key);
    }
    refuseFrozen(volume, "Deleting");
    Map<String, String> updated = new LinkedHashMap<>(volume.metadata);
    updated.remove(key);
    volume.metadata = updated;
    volume.updatedAt = VolumeClock.now();
    LOG.infof("volume %s metadata key deleted", volume.id);
  }

  private Volume locked(String volumeId, RequestContext caller) {
    UUID id = Volume.parseId(volumeId);
    Volume volume = id == null ? null : Volume.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (volume == null || !(caller.isAdmin() || volume.projectId.equals(caller.projectId()))) {
      throw CinderFault.volumeNotFound(volumeId);
    }
    return volume;
  }

  private static void refuseFrozen(Volume volume, String doing) {
    if (FROZEN.contains(volume.status)) {
      throw CinderFault.invalidVolume(
          doing + " volume metadata is not allowed for volumes in " + volume.status + " status.");
    }
  }

  private static CinderFault notFound(String volumeId, String key) {
    return CinderFault.notFound(
        "Volume " + Echo.cap(volumeId) + " has no metadata with key " + Echo.cap(key) + ".");
  }
}
