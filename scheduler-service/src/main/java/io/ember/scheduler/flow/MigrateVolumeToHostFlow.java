package io.ember.scheduler.flow;

import io.ember.model.HostAddress;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MigrateVolume;
import io.ember.model.contract.MigrateVolumeToHost;
import io.ember.model.contract.Retry;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import io.ember.scheduler.filter.FilterProperties;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.FilterScheduler;
import io.ember.scheduler.placement.NoValidBackendException;
import io.ember.scheduler.placement.Placement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Cinder's scheduler {@code migrate_volume_to_host}: the destination must pass the filters for the
 * volume (its pools alone are considered); then {@code migrate_volume} goes to the volume's own
 * host. When it does not pass, the migration ends in {@code error} with the volume untouched, and
 * Cinder's {@code scheduler.migrate_volume_to_host} ERROR notification says why.
 */
@ApplicationScoped
public class MigrateVolumeToHostFlow {

  public static final String FLOW_NAME = "volume:migrate_scheduler";

  private static final Logger LOG = Logger.getLogger(MigrateVolumeToHostFlow.class);

  private final LinearFlow<Context> flow;

  /** What the tasks share. */
  static final class Context {
    final Envelope request;
    final MigrateVolumeToHost migration;
    Placement placement;

    Context(Envelope request) {
      this.request = request;
      this.migration = request.payloadAs(MigrateVolumeToHost.class);
    }
  }

  @Inject
  public MigrateVolumeToHostFlow(FilterScheduler scheduler, SchedulerMessages messages) {
    this.flow =
        LinearFlow.of(
            FLOW_NAME,
            new NotifyMigrateFailureTask(messages),
            new HostPassesFiltersTask(scheduler),
            new CastMigrateVolumeTask(messages));
  }

  /** Runs the flow in the caller's (inbox) transaction; a refused destination is an outcome. */
  public void run(Envelope request) {
    Placements.run(flow, new Context(request));
  }

  /** On the way back from a refused destination: the failure event and notification. */
  static final class NotifyMigrateFailureTask implements Task<Context> {
    private final SchedulerMessages messages;

    NotifyMigrateFailureTask(SchedulerMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(Context context) {}

    @Override
    public void revert(Context context, Throwable cause) {
      if (cause instanceof NoValidBackendException refused) {
        messages.migrateFailed(context.request, context.migration.volume(), refused.getMessage());
      }
    }
  }

  /** The filters, on the destination's pools only. */
  static final class HostPassesFiltersTask implements Task<Context> {
    private final FilterScheduler scheduler;

    HostPassesFiltersTask(FilterScheduler scheduler) {
      this.scheduler = scheduler;
    }

    @Override
    public void execute(Context context) {
      MigrateVolumeToHost m = context.migration;
      try {
        context.placement =
            scheduler.placeOn(new FilterProperties(m.volume(), Retry.first()), m.destination());
      } catch (NoValidBackendException e) {
        LOG.warnf(
            "volume %s cannot migrate to %s: %s [%s]",
            m.volume().volumeId(), m.destination(), e.getMessage(), e.trail());
        throw e;
      }
    }
  }

  /** {@code migrate_volume} to the host that holds the volume now. */
  static final class CastMigrateVolumeTask implements Task<Context> {
    private final SchedulerMessages messages;

    CastMigrateVolumeTask(SchedulerMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(Context context) {
      MigrateVolumeToHost m = context.migration;
      String destPool = context.placement.pool().name();
      messages.migrateVolume(
          context.request,
          HostAddress.parse(m.sourcePool()).backendHost(),
          new MigrateVolume(
              m.volume().volumeId(),
              m.volume().projectId(),
              m.volume().size(),
              m.sourcePool(),
              destPool,
              m.forceHostCopy()));
      LOG.infof(
          "volume %s may migrate from %s to %s [%s]",
          m.volume().volumeId(), m.sourcePool(), destPool, context.placement.trail());
    }
  }
}
