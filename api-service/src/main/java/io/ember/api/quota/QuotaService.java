package io.ember.api.quota;

import io.ember.api.fault.CinderFault;
import io.ember.api.fault.QuotaExceeded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Cinder's reserve → commit / rollback quota engine, kept inside the caller's transaction: a
 * reservation is committed or rolled back by the transaction that made it, so none can leak.
 */
@ApplicationScoped
public class QuotaService {

  private static final Logger LOG = Logger.getLogger(QuotaService.class);

  public static final String VOLUMES = "volumes";
  public static final String GIGABYTES = "gigabytes";
  public static final String DEFAULT_TYPE = "__DEFAULT__";

  @Inject EntityManager em;
  @Inject QuotaDefaults defaults;

  /** The quota deltas of creating (or, negated, deleting) one volume of the default type. */
  public static Map<String, Integer> forVolume(int size) {
    Map<String, Integer> deltas = new LinkedHashMap<>();
    deltas.put(VOLUMES, 1);
    deltas.put(GIGABYTES, size);
    deltas.put(VOLUMES + "_" + DEFAULT_TYPE, 1);
    deltas.put(GIGABYTES + "_" + DEFAULT_TYPE, size);
    return deltas;
  }

  /**
   * Reserves {@code deltas} for the project, or fails with Cinder's 413 message.
   *
   * @return the reservation ids to commit or roll back
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public List<UUID> reserve(String projectId, Map<String, Integer> deltas) {
    Integer size = deltas.get(GIGABYTES);
    int perVolume = limit(projectId, "per_volume_gigabytes");
    if (size != null && perVolume >= 0 && size > perVolume) {
      throw QuotaExceeded.perVolume(size, perVolume);
    }
    // Lock usage rows in a fixed order so concurrent reservations cannot deadlock.
    Map<String, Integer> sorted = new TreeMap<>(deltas);
    List<UUID> reservations = new ArrayList<>();
    for (Map.Entry<String, Integer> entry : sorted.entrySet()) {
      String resource = entry.getKey();
      int delta = entry.getValue();
      int[] usage = lockUsage(projectId, resource);
      int limit = limit(projectId, resource);
      int consumed = usage[0] + usage[1];
      if (delta > 0 && limit >= 0 && consumed + delta > limit) {
        throw overQuota(resource, delta, limit, consumed);
      }
      em.createNativeQuery(
              "update quota_usages set reserved = reserved + :d where project_id = :p and resource = :r")
          .setParameter("d", delta)
          .setParameter("p", projectId)
          .setParameter("r", resource)
          .executeUpdate();
      UUID id = UUID.randomUUID();
      em.createNativeQuery(
              "insert into reservations (id, project_id, resource, delta) values (:id, :p, :r, :d)")
          .setParameter("id", id)
          .setParameter("p", projectId)
          .setParameter("r", resource)
          .setParameter("d", delta)
          .executeUpdate();
      reservations.add(id);
    }
    return reservations;
  }

  /** Turns reservations into usage. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void commit(List<UUID> reservations) {
    settle(reservations, true);
  }

  /** Gives reservations back. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void rollback(List<UUID> reservations) {
    settle(reservations, false);
  }

  /** Gives back usage of something that no longer exists (a deleted volume). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void release(String projectId, Map<String, Integer> deltas) {
    for (Map.Entry<String, Integer> entry : new TreeMap<>(deltas).entrySet()) {
      int[] usage = lockUsage(projectId, entry.getKey());
      int give = entry.getValue();
      if (usage[0] < give) {
        // Never go negative; the periodic audit reports the drift instead.
        LOG.warnf(
            "quota drift: project %s %s in_use %d < released %d",
            projectId, entry.getKey(), usage[0], give);
        give = usage[0];
      }
      em.createNativeQuery(
              "update quota_usages set in_use = in_use - :d where project_id = :p and resource = :r")
          .setParameter("d", give)
          .setParameter("p", projectId)
          .setParameter("r", entry.getKey())
          .executeUpdate();
    }
  }

  public int limit(String projectId, String resource) {
    List<?> rows =
        em.createNativeQuery(
                "select hard_limit from quota_limits where project_id = :p and resource = :r")
            .setParameter("p", projectId)
            .setParameter("r", resource)
            .getResultList();
    return rows.isEmpty() ? defaultLimit(resource) : ((Number) rows.get(0)).intValue();
  }

  /** Limits of every known resource, as {@code GET /os-quota-sets} shows them. */
  public Map<String, Integer> limits(String projectId) {
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (String resource : knownResources()) {
      limits.put(resource, limit(projectId, resource));
    }
    return limits;
  }

  /** Limits with usage, as {@code GET /os-quota-sets/{p}?usage=True} shows them. */
  public Map<String, QuotaUsage> usage(String projectId) {
    Map<String, int[]> used = new TreeMap<>();
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select resource, in_use, reserved from quota_usages where project_id = :p")
            .setParameter("p", projectId)
            .getResultList();
    for (Object[] row : rows) {
      used.put(
          (String) row[0], new int[] {((Number) row[1]).intValue(), ((Number) row[2]).intValue()});
    }
    Map<String, QuotaUsage> usage = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> limit : limits(projectId).entrySet()) {
      int[] u = used.getOrDefault(limit.getKey(), new int[2]);
      usage.put(limit.getKey(), new QuotaUsage(limit.getValue(), u[0], u[1]));
    }
    return usage;
  }

  /** Sets hard limits; unknown resources and limits below -1 are refused. */
  @Transactional
  public void setLimits(String projectId, Map<String, Integer> limits) {
    List<String> known = knownResources();
    for (Map.Entry<String, Integer> entry : limits.entrySet()) {
      if (!known.contains(entry.getKey())) {
        throw CinderFault.badRequest("Bad key(s) in quota set: " + entry.getKey());
      }
      if (entry.getValue() < -1) {
        throw CinderFault.badRequest(
            "Quota limit "
                + entry.getValue()
                + " for "
                + entry.getKey()
                + " must be -1 or greater.");
      }
    }
    for (Map.Entry<String, Integer> entry : limits.entrySet()) {
      em.createNativeQuery(
              "insert into quota_limits (project_id, resource, hard_limit) values (:p, :r, :l)"
                  + " on conflict (project_id, resource) do update set hard_limit = :l")
          .setParameter("p", projectId)
          .setParameter("r", entry.getKey())
          .setParameter("l", entry.getValue())
          .executeUpdate();
    }
  }

  /** Back to the defaults. */
  @Transactional
  public void resetLimits(String projectId) {
    em.createNativeQuery("delete from quota_limits where project_id = :p")
        .setParameter("p", projectId)
        .executeUpdate();
  }

  public List<String> knownResources() {
    return List.of(
        VOLUMES,
        "per_volume_gigabytes",
        "snapshots",
        GIGABYTES,
        "backups",
        "backup_gigabytes",
        VOLUMES + "_" + DEFAULT_TYPE,
        GIGABYTES + "_" + DEFAULT_TYPE,
        "snapshots_" + DEFAULT_TYPE,
        "groups");
  }

  private int defaultLimit(String resource) {
    return switch (resource) {
      case VOLUMES -> defaults.volumes();
      case GIGABYTES -> defaults.gigabytes();
      case "snapshots" -> defaults.snapshots();
      case "backups" -> defaults.backups();
      case "backup_gigabytes" -> defaults.backupGigabytes();
      case "groups" -> defaults.groups();
      case "per_volume_gigabytes" -> defaults.perVolumeGigabytes();
      default -> -1; // per-type quotas are unlimited unless set
    };
  }

  private void settle(List<UUID> reservations, boolean commit) {
    for (UUID id : reservations) {
      @SuppressWarnings("unchecked")
      List<Object[]> rows =
          em.createNativeQuery(
                  "delete from reservations where id = :id returning project_id, resource, delta")
              .setParameter("id", id)
              .getResultList();
      if (rows.isEmpty()) {
        continue; // already settled
      }
      Object[] row = rows.get(0);
      String sql =
          commit
              ? "update quota_usages set reserved = reserved - :d, in_use = in_use + :d"
                  + " where project_id = :p and resource = :r"
              : "update quota_usages set reserved = reserved - :d"
                  + " where project_id = :p and resource = :r";
      em.createNativeQuery(sql)
          .setParameter("d", ((Number) row[2]).intValue())
          .setParameter("p", row[0])
          .setParameter("r", row[1])
          .executeUpdate();
    }
  }

  /** Locks (creating if needed) the usage row; returns {in_use, reserved}. */
  private int[] lockUsage(String projectId, String resource) {
    em.createNativeQuery(
            "insert into quota_usages (project_id, resource) values (:p, :r) on conflict do nothing")
        .setParameter("p", projectId)
        .setParameter("r", resource)
        .executeUpdate();
    Object[] row =
        (Object[])
            em.createNativeQuery(
                    "select in_use, reserved from quota_usages where project_id = :p and resource = :r"
                        + " for update")
                .setParameter("p", projectId)
                .setParameter("r", resource)
                .getSingleResult();
    return new int[] {((Number) row[0]).intValue(), ((Number) row[1]).intValue()};
  }

  private static QuotaExceeded overQuota(String resource, int delta, int limit, int consumed) {
    if (resource.startsWith(GIGABYTES)) {
      return QuotaExceeded.gigabytes(resource, delta, limit, consumed);
    }
    return QuotaExceeded.volumeLimit(limit, resource);
  }
}
