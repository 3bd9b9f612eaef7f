package io.ember.api.host;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a volume host holds, by project: the numbers of Cinder's {@code os-hosts/{host}}. A volume
 * is on host {@code host@backend} when its pool is that backend's ({@code host@backend#pool}) or
 * the backend itself; a snapshot is where its volume is.
 */
@ApplicationScoped
public class HostUsage {

  /** One project's volumes and snapshots on the host. */
  public record Usage(long volumeCount, long volumeGb, long snapshotCount, long snapshotGb) {}

  private static final String VOLUMES =
      "select project_id, count(*), coalesce(sum(size), 0) from volumes"
          + " where host = ?1 or host like ?2 group by project_id order by project_id";

  private static final String SNAPSHOTS =
      "select s.project_id, count(*), coalesce(sum(s.volume_size), 0) from snapshots s"
          + " join volumes v on v.id = s.volume_id"
          + " where v.host = ?1 or v.host like ?2 group by s.project_id";

  @Inject EntityManager em;

  /** Per project holding volumes on {@code backendHost}, in project order. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public Map<String, Usage> byProject(String backendHost) {
    String pools = backendHost.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "#%";
    Map<String, long[]> snapshots = new LinkedHashMap<>();
    for (Object[] r : rows(SNAPSHOTS, backendHost, pools)) {
      snapshots.put((String) r[0], new long[] {number(r[1]), number(r[2])});
    }
    Map<String, Usage> out = new LinkedHashMap<>();
    for (Object[] r : rows(VOLUMES, backendHost, pools)) {
      long[] snaps = snapshots.getOrDefault((String) r[0], new long[2]);
      out.put((String) r[0], new Usage(number(r[1]), number(r[2]), snaps[0], snaps[1]));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private List<Object[]> rows(String sql, String host, String pools) {
    return em.createNativeQuery(sql).setParameter(1, host).setParameter(2, pools).getResultList();
  }

  private static long number(Object o) {
    return ((Number) o).longValue();
  }
}
