package io.ember.volume.backend;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The records of what this host's backend holds. */
@ApplicationScoped
public class BackendVolumes implements PanacheRepositoryBase<BackendVolume, String> {

  public BackendVolume record(String volumeId, String pool, int size, String providerLocation) {
    BackendVolume volume = new BackendVolume();
    volume.volumeId = volumeId;
    volume.pool = pool;
    volume.size = size;
    volume.providerLocation = providerLocation;
    volume.createdAt = Instant.now();
    persist(volume);
    return volume;
  }

  /** Gigabytes allocated per pool ({@code host@backend#pool}), as Cinder's manager counts them. */
  public Map<String, Long> allocatedGbByPool() {
    List<Object[]> rows =
        getEntityManager()
            .createQuery(
                "select v.pool, sum(v.size) from BackendVolume v group by v.pool", Object[].class)
            .getResultList();
    Map<String, Long> allocated = new HashMap<>();
    for (Object[] row : rows) {
      allocated.put((String) row[0], ((Number) row[1]).longValue());
    }
    return allocated;
  }
}
