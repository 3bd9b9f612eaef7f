package io.ember.api.volumeops;

import io.ember.api.quota.QuotaService;
import io.ember.api.type.VolumeTypeCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;

/**
 * What an existing volume is charged, by its type's name (Cinder keys per-type quota by name), from
 * the types in memory: a delete gives back its type's usage without a query.
 */
@ApplicationScoped
public class VolumeQuotas {

  @Inject VolumeTypeCatalog types;

  /**
   * The deltas of a volume of {@code size} and type {@code typeId}: a volume without a type is of
   * the default type (as V7 made the volumes before types); one whose type is gone has only the
   * totals (its type's resources are gone with it).
   */
  public Map<String, Integer> of(int size, UUID typeId) {
    String type = typeId == null ? QuotaService.DEFAULT_TYPE : types.nameOf(typeId);
    return QuotaService.forVolume(size, type);
  }
}
