package io.ember.scheduler.flow;

import io.ember.model.HostAddress;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MigrateVolume;
import io.ember.model.contract.Retry;
import io.ember.model.contract.RetypeVolume;
import io.ember.model.contract.ScheduleRetype;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import io.ember.scheduler.filter.FilterProperties;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.FilterScheduler;
import io.ember.scheduler.placement.NoValidBackendException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The scheduler's part of a retype (Cinder's scheduler manager {@code retype}): may the volume's
 * own pool hold it with the new type? If so, {@code retype} goes to its host; if not, the API is
 * told (the volume goes back to its previous status) with Cinder's {@code scheduler.retype} ERROR
 * notification. Under {@code on-demand}, a volume whose pool does not fit the new type moves to the
 * best pool that does: {@code migrate_volume} goes to its host, and the migration's end (its {@code
 * volume.migrated}) is where the API gives the volume its new type, as Cinder's manager retypes by
 * migration.
 */
@ApplicationScoped
public class RetypeFlow {

  public static final String FLOW_NAME = "volume:retype_scheduler";

  private static final Logger LOG = Logger.getLogger(RetypeFlow.class);

  private final LinearFlow<RetypeContext> flow;

  @Inject
  public RetypeFlow(FilterScheduler scheduler, SchedulerMessages messages) {
    this.flow =
        LinearFlow.of(
            FLOW_NAME,
            new NotifyRetypeFailureTask(messages),
            new FindRetypeBackendTask(scheduler),
            new CastRetypeTask(messages));
  }

  /**
   * Runs the flow for one {@code schedule_retype} request, in the caller's transaction. No valid
   * backend is an outcome: the API has been told and the transaction may commit.
   */
  public void run(Envelope request) {
    Placements.run(flow, new RetypeContext(request));
  }

  /** First, so that its revert sees every failure after it: the API and listeners are told. */
  static final class NotifyRetypeFailureTask implements Task<RetypeContext> {

    private final SchedulerMessages messages;

    NotifyRetypeFailureTask(SchedulerMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(RetypeContext context) {}

    @Override
    public void revert(RetypeContext context, Throwable cause) {
      if (cause instanceof NoValidBackendException) {
        messages.retypeFailed(context.request(), context.retype(), cause.getMessage());
      }
    }
  }

  /** Cinder's {@code find_retype_backend}: the volume's own pool, or no valid backend. */
  static final class FindRetypeBackendTask implements Task<RetypeContext> {

    private final FilterScheduler scheduler;

    FindRetypeBackendTask(FilterScheduler scheduler) {
      this.scheduler = scheduler;
    }

    @Override
    public void execute(RetypeContext context) {
      ScheduleRetype retype = context.retype();
      String volumeId = retype.volume().volumeId();
      boolean onDemand = "on-demand".equals(retype.migrationPolicy());
      try {
        var target =
            scheduler.findRetypeBackend(
                new FilterProperties(retype.volume(), Retry.first()), retype.pool(), onDemand);
        context.setTarget(target);
      } catch (NoValidBackendException e) {
        LOG.warnf(
            "volume %s: retype to %s refused: %s%s",
            volumeId,
            retype.volume().volumeTypeId(),
            e.getMessage(),
            e.trail().isEmpty() ? "" : " [" + e.trail() + "]");
        throw e;
      }
    }
  }

  /**
   * Casts {@code retype} to the volume's host when its pool fits the new type, else {@code
   * migrate_volume} to the pool found; through the outbox either way.
   */
  static final class CastRetypeTask implements Task<RetypeContext> {

    private final SchedulerMessages messages;

    CastRetypeTask(SchedulerMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(RetypeContext context) {
      ScheduleRetype retype = context.retype();
      String destPool = context.target().name();
      if (!destPool.equals(retype.pool())) {
        messages.migrateVolume(
            context.request(),
            HostAddress.parse(retype.pool()).backendHost(),
            new MigrateVolume(
                retype.volume().volumeId(),
                retype.volume().projectId(),
                retype.volume().size(),
                retype.pool(),
                destPool,
                false));
        LOG.infof(
            "volume %s: retype to %s by migration from %s to %s (on-demand)",
            retype.volume().volumeId(), retype.volume().volumeTypeId(), retype.pool(), destPool);
        return;
      }
      messages.retypeVolume(
          context.request(),
          context.target().backendHost(),
          new RetypeVolume(
              retype.volume().volumeId(),
              retype.volume().projectId(),
              retype.pool(),
              retype.volume().volumeTypeId(),
              retype.volume().extraSpecs(),
              retype.migrationPolicy(),
              retype.encryptionChanges()));
      LOG.infof(
          "volume %s: retype to %s in place on %s",
          retype.volume().volumeId(), retype.volume().volumeTypeId(), retype.pool());
    }
  }
}
