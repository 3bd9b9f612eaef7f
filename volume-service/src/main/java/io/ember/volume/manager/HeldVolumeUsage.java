package io.ember.volume.manager;

import io.ember.model.RequestContext;
import io.ember.model.contract.VolumeSpec;
import io.ember.volume.backend.BackendVolume;

/**
 * The usage info a notification about a placed volume can give: what its command says and this
 * host's record (a volume host keeps no name, type or metadata of its volumes).
 */
final class HeldVolumeUsage {

  private HeldVolumeUsage() {}

  static VolumeSpec spec(
      RequestContext context,
      String volumeId,
      String projectId,
      int size,
      BackendVolume held,
      String availabilityZone) {
    return new VolumeSpec(
        volumeId,
        projectId,
        context == null ? null : context.userId(),
        size,
        null,
        availabilityZone,
        null,
        null,
        null,
        held == null ? null : held.createdAt());
  }
}
