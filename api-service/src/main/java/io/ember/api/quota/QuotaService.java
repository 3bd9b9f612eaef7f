package io.ember.api.quota;

import io.ember.api.config.ApiConfig;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.QuotaExceeded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.query.NativeQuery;

/**
 * Cinder's reserve → commit / rollback quota engine, kept inside the caller's transaction: a
 * reservation ({@link QuotaLedger}) is committed or rolled back by the transaction that made it, so
 * none can leak (and none needs a row of its own). Each step is one statement over all the
 * resources it touches.
 */
@ApplicationScoped
public class QuotaService {

  public static final String VOLUMES = "volumes";
  public static final String GIGABYTES = "gigabytes";
  public static final String DEFAULT_TYPE = "__DEFAULT__";

  @Inject EntityManager em;
  @Inject QuotaUsageRows usageRows;
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject ApiConfig config;

  /** The quota deltas of creating (or, negated, deleting) one volume of the default type. */
  public static Map<String, Integer> forVolume(int size) {
    return forVolumes(1, size);
  }

  /** What {@code count} volumes of the default type, {@code gigabytes} in all, are charged. */
  public static Map<String, Integer> forVolumes(int count, int gigabytes) {
    Map<String, Integer> deltas = new LinkedHashMap<>();
    deltas.put(VOLUMES, count);
    deltas.put(GIGABYTES, gigabytes);
    deltas.put(VOLUMES + "_" + DEFAULT_TYPE, count);
    deltas.put(GIGABYTES + "_" + DEFAULT_TYPE, gigabytes);
    return deltas;
  }

  /**
   * Opens the project's quota for the caller's transaction: usage rows locked, with the limits read
   * in the same statement, when a reservation first needs them and held until the transaction ends.
   * {@link #close} writes the net change.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public QuotaLedger open(String projectId) {
    return new QuotaLedger(
        projectId,
        resources -> {
          QuotaUsageRows.Locked locked = usageRows.lock(projectId, resources);
          return new QuotaUsageRows.Locked(locked.usage(), withDefaults(locked.limits()));
        });
  }

  /** Adds what the ledger committed to in_use, in one statement. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void close(QuotaLedger ledger) {
    usageRows.add(ledger.projectId(), ledger.netUsage());
  }

  /**
   * Gives back usage of something that no longer exists (a deleted volume), when the caller's
   * transaction commits, together with everything else it gives back ({@link QuotaReleases}). Usage
   * never goes below zero.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void release(String projectId, Map<String, Integer> deltas) {
    QuotaReleases releases = (QuotaReleases) transactions.getResource(QuotaReleases.class);
    if (releases == null) {
      releases = new QuotaReleases(usageRows);
      transactions.putResource(QuotaReleases.class, releases);
      transactions.registerInterposedSynchronization(releases);
    }
    releases.add(projectId, deltas);
  }

  /**
   * A native statement on the quota tables, for the requests that read or set limits (the hot
   * path's statements are {@link QuotaUsageRows}). No entity maps the tables, so Hibernate need not
   * flush the session's pending entity changes first.
   */
  private Query quotaStatement(String sql) {
    NativeQuery<?> query = em.createNativeQuery(sql).unwrap(NativeQuery.class);
    query.addSynchronizedQuerySpace("quota_usages");
    query.addSynchronizedQuerySpace("quota_limits");
    return query;
  }

  /** Limits of every known resource, as {@code GET /os-quota-sets} shows them (one query). */
  public Map<String, Integer> limits(String projectId) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        quotaStatement("select resource, hard_limit from quota_limits where project_id = :p")
            .setParameter("p", projectId)
            .getResultList();
    Map<String, Integer> configured = new TreeMap<>();
    for (Object[] row : rows) {
      configured.put((String) row[0], ((Number) row[1]).intValue());
    }
    return withDefaults(configured);
  }

  /** Every known resource's limit: the one set for the project, else the default. */
  private Map<String, Integer> withDefaults(Map<String, Integer> configured) {
    Map<String, Integer> set = new LinkedHashMap<>();
    for (String resource : knownResources()) {
      set.put(resource, configured.getOrDefault(resource, defaultLimit(resource)));
    }
    return set;
  }

  /** The defaults every project starts from. */
  public Map<String, Integer> defaultLimits() {
    Map<String, Integer> set = new LinkedHashMap<>();
    for (String resource : knownResources()) {
      set.put(resource, defaultLimit(resource));
    }
    return set;
  }

  /** Limits with usage, as {@code GET /os-quota-sets/{p}?usage=True} shows them. */
  public Map<String, QuotaUsage> usage(String projectId) {
    Map<String, int[]> used = new TreeMap<>();
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        quotaStatement("select resource, in_use, reserved from quota_usages where project_id = :p")
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
        throw CinderFault.badRequest(
            "Bad key(s) in quota set: " + io.ember.api.fault.Echo.cap(entry.getKey()));
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
      quotaStatement(
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
    quotaStatement("delete from quota_limits where project_id = :p")
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
    ApiConfig.Quota defaults = config.quota();
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

  static QuotaExceeded overQuota(String resource, int delta, int limit, int consumed) {
    if (resource.startsWith(GIGABYTES)) {
      return QuotaExceeded.gigabytes(resource, delta, limit, consumed);
    }
    return QuotaExceeded.volumeLimit(limit, resource);
  }
}
