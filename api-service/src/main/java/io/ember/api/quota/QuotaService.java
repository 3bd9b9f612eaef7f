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
import java.util.ArrayList;
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
  public static final String SNAPSHOTS = "snapshots";
  public static final String PER_VOLUME_GIGABYTES = "per_volume_gigabytes";
  public static final String DEFAULT_TYPE = "__DEFAULT__";

  /** The quota class whose limits are every project's defaults (Cinder's {@code default}). */
  public static final String DEFAULT_CLASS = "default";

  /** The resources each volume type has, as Cinder's {@code VolumeTypeResource}s, in its order. */
  private static final List<String> PER_TYPE = List.of(VOLUMES, GIGABYTES, SNAPSHOTS);

  @Inject EntityManager em;
  @Inject QuotaUsageRows usageRows;
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject ApiConfig config;

  /** The resource of {@code base} ({@code volumes}, ...) for the volume type named {@code type}. */
  public static String perType(String base, String type) {
    return base + "_" + type;
  }

  /**
   * The quota deltas of creating (or, negated, deleting) one volume of the type named {@code type}
   * (null: a type gone since, whose resources no longer exist: the totals only).
   */
  public static Map<String, Integer> forVolume(int size, String type) {
    return forVolumes(1, size, type);
  }

  /**
   * The quota deltas of taking (or, negated, removing) one snapshot of a volume of {@code size} and
   * type {@code type}: in Cinder's order (snapshots, gigabytes, then the type's).
   */
  public static Map<String, Integer> forSnapshot(int size, String type) {
    Map<String, Integer> deltas = new LinkedHashMap<>();
    deltas.put(SNAPSHOTS, 1);
    deltas.put(GIGABYTES, size);
    if (type != null) {
      deltas.put(perType(SNAPSHOTS, type), 1);
      deltas.put(perType(GIGABYTES, type), size);
    }
    return deltas;
  }

  /**
   * What {@code count} volumes of one type, {@code gigabytes} in all, are charged: in Cinder's
   * order (its create reserves volumes, gigabytes, then the type's), which decides the resource a
   * 413 names when several are over.
   */
  public static Map<String, Integer> forVolumes(int count, int gigabytes, String type) {
    Map<String, Integer> deltas = new LinkedHashMap<>();
    deltas.put(VOLUMES, count);
    deltas.put(GIGABYTES, gigabytes);
    if (type != null) {
      deltas.put(perType(VOLUMES, type), count);
      deltas.put(perType(GIGABYTES, type), gigabytes);
    }
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
          Map<String, Integer> limits = new TreeMap<>();
          for (String resource : resources) {
            limits.put(resource, defaultLimit(resource));
          }
          limits.put(PER_VOLUME_GIGABYTES, defaultLimit(PER_VOLUME_GIGABYTES));
          limits.putAll(locked.classLimits());
          limits.putAll(locked.limits());
          return new QuotaLedger.Locked(locked.usage(), limits);
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
   * Moves usage between projects in the caller's transaction (a transfer's accept): each of {@code
   * charges}, in order, is reserved and committed for {@code to} (a 413 names the first resource
   * over, and the caller's rollback leaves nothing changed), and the sum is given back by {@code
   * from} as a delete gives it back. Both projects' rows are locked first, in project order, so two
   * transfers crossing each other cannot deadlock.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void move(String from, String to, List<Map<String, Integer>> charges) {
    Map<String, Integer> total = new TreeMap<>();
    charges.forEach(charge -> charge.forEach((r, d) -> total.merge(r, d, Integer::sum)));
    Map<String, Integer> untouched = new TreeMap<>();
    total.keySet().forEach(resource -> untouched.put(resource, 0));
    QuotaLedger giver = open(from);
    QuotaLedger receiver = open(to);
    // A reservation of nothing only locks the rows (and creates the missing ones).
    for (QuotaLedger first :
        from.compareTo(to) < 0 ? List.of(giver, receiver) : List.of(receiver, giver)) {
      first.reserve(untouched);
    }
    for (Map<String, Integer> charge : charges) {
      receiver.commit(receiver.reserve(charge));
    }
    close(receiver);
    // As a delete gives usage back: never below zero.
    release(from, total);
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

  /** Limits of every known resource, as {@code GET /os-quota-sets} shows them. */
  public Map<String, Integer> limits(String projectId) {
    return withDefaults(classRows(DEFAULT_CLASS), rows(projectId));
  }

  /** The defaults every project starts from: the default class's, else the configured ones. */
  public Map<String, Integer> defaultLimits() {
    return withDefaults(classRows(DEFAULT_CLASS), Map.of());
  }

  /**
   * A quota class's limits (Cinder's {@code get_class_quotas}): those set for it, else the
   * defaults.
   */
  public Map<String, Integer> classLimits(String quotaClass) {
    return withDefaults(classRows(DEFAULT_CLASS), classRows(quotaClass));
  }

  /**
   * Sets a quota class's limits, as Cinder's quota class update: any resource name is kept (one of
   * a type made later takes effect then), only the known ones are shown.
   */
  @Transactional
  public Map<String, Integer> setClassLimits(String quotaClass, Map<String, Integer> limits) {
    for (Map.Entry<String, Integer> entry : limits.entrySet()) {
      quotaStatement(
              "insert into quota_classes (class_name, resource, hard_limit) values (:c, :r, :l)"
                  + " on conflict (class_name, resource) do update set hard_limit = :l")
          .setParameter("c", quotaClass)
          .setParameter("r", entry.getKey())
          .setParameter("l", entry.getValue())
          .executeUpdate();
    }
    return classLimits(quotaClass);
  }

  /**
   * A volume type renamed: its resources in every project's limits and usage and in the quota
   * classes take the new name in the caller's transaction, so the type keeps its quota (Cinder's
   * {@code update_quota_resource}). Rows left under the new name by a type of that name deleted
   * before give way.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void renameType(String oldName, String newName) {
    for (String base : PER_TYPE) {
      String from = perType(base, oldName);
      String to = perType(base, newName);
      for (String table : List.of("quota_limits", "quota_usages", "quota_classes")) {
        quotaStatement("delete from " + table + " where resource = :to")
            .setParameter("to", to)
            .executeUpdate();
        quotaStatement("update " + table + " set resource = :to where resource = :from")
            .setParameter("to", to)
            .setParameter("from", from)
            .executeUpdate();
      }
    }
  }

  /** The project's own limits. */
  private Map<String, Integer> rows(String projectId) {
    return limitRows(
        "select resource, hard_limit from quota_limits where project_id = :k", projectId);
  }

  /** A quota class's own limits. */
  private Map<String, Integer> classRows(String quotaClass) {
    return limitRows(
        "select resource, hard_limit from quota_classes where class_name = :k", quotaClass);
  }

  private Map<String, Integer> limitRows(String sql, String key) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows = quotaStatement(sql).setParameter("k", key).getResultList();
    Map<String, Integer> configured = new TreeMap<>();
    for (Object[] row : rows) {
      configured.put((String) row[0], ((Number) row[1]).intValue());
    }
    return configured;
  }

  /** Every known resource's limit: {@code own}'s, else {@code defaults}', else the configured. */
  private Map<String, Integer> withDefaults(
      Map<String, Integer> defaults, Map<String, Integer> own) {
    Map<String, Integer> set = new LinkedHashMap<>();
    for (String resource : knownResources()) {
      Integer limit = own.get(resource);
      if (limit == null) {
        limit = defaults.getOrDefault(resource, defaultLimit(resource));
      }
      set.put(resource, limit);
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

  /**
   * The resources of a quota set, in Cinder's order: the totals, each volume type's (Cinder's
   * {@code VolumeTypeQuotaEngine}: a type deleted takes them out of the set), then groups.
   */
  public List<String> knownResources() {
    List<String> known = new ArrayList<>();
    known.addAll(
        List.of(
            VOLUMES, PER_VOLUME_GIGABYTES, SNAPSHOTS, GIGABYTES, "backups", "backup_gigabytes"));
    for (String type : typeNames()) {
      for (String base : PER_TYPE) {
        known.add(perType(base, type));
      }
    }
    known.add("groups");
    return known;
  }

  /** The names of the volume types there are. */
  private List<String> typeNames() {
    NativeQuery<?> query =
        em.createNativeQuery("select name from volume_types order by created_at, name")
            .unwrap(NativeQuery.class);
    query.addSynchronizedQuerySpace("volume_types");
    @SuppressWarnings("unchecked")
    List<String> names = (List<String>) query.getResultList();
    return names;
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
      case PER_VOLUME_GIGABYTES -> defaults.perVolumeGigabytes();
      default -> -1; // per-type quotas are unlimited unless set
    };
  }

  static QuotaExceeded overQuota(String resource, int delta, int limit, int consumed) {
    if (resource.startsWith(GIGABYTES)) {
      return QuotaExceeded.gigabytes(resource, delta, limit, consumed);
    }
    if (resource.startsWith(SNAPSHOTS)) {
      return QuotaExceeded.snapshotLimit(limit);
    }
    if (resource.equals("groups")) {
      return QuotaExceeded.groupLimit(limit);
    }
    return QuotaExceeded.volumeLimit(limit, resource);
  }
}
