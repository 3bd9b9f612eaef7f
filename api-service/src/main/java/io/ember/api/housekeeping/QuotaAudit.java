package io.ember.api.housekeeping;

import io.ember.api.quota.QuotaService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The periodic proof that quota usage equals what exists: per project, its usage rows are locked,
 * its volumes counted, and any difference is logged and corrected (Cinder's {@code cinder-manage
 * quota sync}, run by the service itself). Reservations never outlive their transaction, so any
 * {@code reserved} found here is drift too.
 */
@ApplicationScoped
public class QuotaAudit {

  private static final Logger LOG = Logger.getLogger(QuotaAudit.class);

  @Inject EntityManager em;

  @Scheduled(
      every = "${ember.quota-audit.every:10m}",
      delayed = "${ember.quota-audit.every:10m}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void audit() {
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
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select resource, in_use, reserved from quota_usages where project_id = :p"
                    + " order by resource for update")
            .setParameter("p", project)
            .getResultList();
    Map<String, Integer> existing = existing(project);
    int corrected = 0;
    for (Object[] row : rows) {
      String resource = (String) row[0];
      Integer actual = existing.get(resource);
      int inUse = ((Number) row[1]).intValue();
      int reserved = ((Number) row[2]).intValue();
      if (actual == null || (actual == inUse && reserved == 0)) {
        continue; // not a resource volumes account for, or in step
      }
      LOG.warnf(
          "quota audit: project %s %s in_use %d reserved %d, existing %d: corrected",
          project, resource, inUse, reserved, actual);
      em.createNativeQuery(
              "update quota_usages set in_use = :u, reserved = 0"
                  + " where project_id = :p and resource = :r")
          .setParameter("u", actual)
          .setParameter("p", project)
          .setParameter("r", resource)
          .executeUpdate();
      corrected++;
    }
    return corrected;
  }

  /** What the project's volumes take, for every resource their creates charge. */
  private Map<String, Integer> existing(String project) {
    Object[] sums =
        (Object[])
            em.createNativeQuery(
                    "select count(*), coalesce(sum(size), 0) from volumes where project_id = :p")
                .setParameter("p", project)
                .getSingleResult();
    // Every volume is of the default type until volume types exist.
    return QuotaService.forVolumes(((Number) sums[0]).intValue(), ((Number) sums[1]).intValue());
  }
}
