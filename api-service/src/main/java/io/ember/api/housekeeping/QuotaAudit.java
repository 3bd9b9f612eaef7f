package io.ember.api.housekeeping;

import io.ember.api.config.ApiConfig;
import io.ember.api.quota.QuotaService;
import io.ember.model.jdbc.OncePerCycle;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The periodic proof that quota usage equals what exists: per project, its usage rows are locked,
 * its volumes and snapshots counted, and any difference is logged and corrected (Cinder's {@code
 * cinder-manage quota sync}, run by the service itself). Reservations never outlive their
 * transaction, so any {@code reserved} found here is drift too.
 */
@ApplicationScoped
public class QuotaAudit {

  private static final Logger LOG = Logger.getLogger(QuotaAudit.class);

  @Inject EntityManager em;
  @Inject OncePerCycle cycles;
  @Inject ApiConfig config;

  @Scheduled(
      every = "${ember.quota-audit.every:10m}",
      delayed = "${ember.quota-audit.every:10m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void audit() {
    if (!cycles.claim("quota-audit", config.quotaAudit().every())) {
      return; // another api replica audits this cycle
    }
    @SuppressWarnings("unchecked")
    List<String> projects =
        em.createNativeQuery("select distinct project_id from quota_usages").getResultList();
    int corrected = 0;
    for (String project : projects) {
      corrected += QuarkusTransaction.requiringNew().call(() -> auditProject(project));
    }
    if (corrected > 0) {
      LOG.warnf("quota audit: %d usage rows corrected in %d projects", corrected, projects.size());
    }
  }

  /** One project in one transaction: its rows locked first, so the count is not racing a create. */
  private int auditProject(String project) {
    // In the order the creates lock them (Java's string order, which is the "C" collation's).
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select resource, in_use, reserved from quota_usages where project_id = :p"
                    + " order by resource collate \"C\" for update")
            .setParameter("p", project)
            .getResultList();
    Map<String, Integer> existing = existing(project);
    int corrected = 0;
    Set<String> seen = new HashSet<>();
    for (Object[] row : rows) {
      String resource = (String) row[0];
      seen.add(resource);
      Integer actual = existing.get(resource);
      if (actual == null && isPerType(resource)) {
        actual = 0; // a type gone (or renamed) since: nothing exists under that name
      }
      int inUse = ((Number) row[1]).intValue();
      int reserved = ((Number) row[2]).intValue();
      if (actual == null || (actual == inUse && reserved == 0)) {
        continue; // not a resource volumes account for, or in step
      }
      LOG.warnf(
          "quota audit: project %s %s in_use %d reserved %d, existing %d: corrected",
          project, resource, inUse, reserved, actual);
      correct(project, resource, actual);
      corrected++;
    }
    // A row missing while volumes take the resource (a row made by a create that raced the lock
    // above is in step already, and is set to the same count).
    for (Map.Entry<String, Integer> e : existing.entrySet()) {
      if (!seen.contains(e.getKey()) && e.getValue() > 0) {
        correct(project, e.getKey(), e.getValue());
      }
    }
    return corrected;
  }

  private void correct(String project, String resource, int actual) {
    em.createNativeQuery(
            "insert into quota_usages (project_id, resource, in_use, reserved) values (:p, :r, :u, 0)"
                + " on conflict (project_id, resource) do update set in_use = :u, reserved = 0")
        .setParameter("u", actual)
        .setParameter("p", project)
        .setParameter("r", resource)
        .executeUpdate();
  }

  private static boolean isPerType(String resource) {
    // Only what volumes and snapshots are charged.
    return resource.startsWith(QuotaService.VOLUMES + "_")
        || resource.startsWith(QuotaService.GIGABYTES + "_")
        || resource.startsWith(QuotaService.SNAPSHOTS + "_");
  }

  /**
   * What the project's volumes take, for every resource their creates charge: the totals, and each
   * existing type's (zero when it has none), by the type's name as the quota keys it.
   */
  private Map<String, Integer> existing(String project) {
    Map<String, Integer> existing = new HashMap<>();
    // Each volume is charged volumes + its size; each snapshot snapshots + its volume's size.
    count(project, "volumes", "size", QuotaService.VOLUMES, existing);
    count(project, "snapshots", "volume_size", QuotaService.SNAPSHOTS, existing);
    return existing;
  }

  /**
   * Adds what the project's rows of {@code table} take to {@code existing}: {@code resource} (one
   * per row) and gigabytes ({@code sizeColumn}), in total and per type by the type's name.
   */
  private void count(
      String project,
      String table,
      String sizeColumn,
      String resource,
      Map<String, Integer> existing) {
    @SuppressWarnings("unchecked")
    List<Object[]> byType =
        em.createNativeQuery(
                "select t.name, count(r.id), coalesce(sum(r."
                    + sizeColumn
                    + "), 0) from volume_types t left join "
                    + table
                    + " r on r.volume_type_id = t.id and r.project_id = :p group by t.name"
                    + " union all select null, count(*), coalesce(sum("
                    + sizeColumn
                    + "), 0) from "
                    + table
                    + " where project_id = :p"
                    + " union all select '', count(*), coalesce(sum("
                    + sizeColumn
                    + "), 0) from "
                    + table
                    + " where project_id = :p and volume_type_id is null")
            .setParameter("p", project)
            .getResultList();
    int untyped = 0;
    int untypedGigabytes = 0;
    for (Object[] row : byType) {
      int count = ((Number) row[1]).intValue();
      int gigabytes = ((Number) row[2]).intValue();
      if (row[0] == null) {
        existing.put(resource, count);
        existing.merge(QuotaService.GIGABYTES, gigabytes, Integer::sum);
      } else if (((String) row[0]).isEmpty()) {
        untyped = count;
        untypedGigabytes = gigabytes;
      } else {
        String type = (String) row[0];
        existing.put(QuotaService.perType(resource, type), count);
        existing.merge(QuotaService.perType(QuotaService.GIGABYTES, type), gigabytes, Integer::sum);
      }
    }
    // Rows without a type are charged to the default type (VolumeQuotas, SnapshotQuotas).
    existing.merge(
        QuotaService.perType(resource, QuotaService.DEFAULT_TYPE), untyped, Integer::sum);
    existing.merge(
        QuotaService.perType(QuotaService.GIGABYTES, QuotaService.DEFAULT_TYPE),
        untypedGigabytes,
        Integer::sum);
  }
}
