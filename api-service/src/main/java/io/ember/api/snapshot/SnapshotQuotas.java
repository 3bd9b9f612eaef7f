package io.ember.api.snapshot;

import io.ember.api.quota.QuotaService;
import io.ember.api.type.VolumeTypeCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;

/** What a snapshot is charged, by its volume type's name, from the types in memory. */
@ApplicationScoped
public class SnapshotQuotas {

  @Inject VolumeTypeCatalog types;

  /**
   * The deltas of a snapshot of a volume of {@code size} and type {@code typeId}: without a type,
   * the default type's (as volumes are charged); a type gone since, the totals only.
   */
  public Map<String, Integer> of(int size, UUID typeId) {
    String type = typeId == null ? QuotaService.DEFAULT_TYPE : types.nameOf(typeId);
    return QuotaService.forSnapshot(size, type);
  }
}
