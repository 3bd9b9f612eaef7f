package io.ember.scheduler.flow;

import io.ember.model.contract.Envelope;
import io.ember.model.contract.ManageExisting;
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
 * Cinder's scheduler {@code manage_existing}: the host the admin named must pass the filters for
 * the volume (its type's extra specs, zone; only that host's pools are considered); then {@code
 * manage_existing} goes to it, narrowed to the pool found. When it does not pass, the volume ends
 * in {@code error_managing} with Cinder's {@code scheduler.manage_existing} ERROR notification.
 * Nothing is counted on the pool: the object is already there.
 */
@ApplicationScoped
public class ManageExistingFlow {

  public static final String FLOW_NAME = "volume:manage_existing_scheduler";

  private static final Logger LOG = Logger.getLogger(ManageExistingFlow.class);

  private final LinearFlow<Context> flow;

  /** What the tasks share. */
  static final class Context {
    final Envelope request;
    final ManageExisting manage;
    Placement placement;

    Context(Envelope request) {
      this.request = request;
      this.manage = request.payloadAs(ManageExisting.class);
    }
  }

  @Inject
  public ManageExistingFlow(FilterScheduler scheduler, SchedulerMessages messages) {
    this.flow =
        LinearFlow.of(
            FLOW_NAME,
            new NotifyManageFailureTask(messages),
            new HostPassesFiltersTask(scheduler),
            new CastManageExistingTask(messages));
  }

  /** Runs the flow in the caller's (inbox) transaction; a refused host is an outcome. */
  public void run(Envelope request) {
    Placements.run(flow, new Context(request));
  }

  /** On the way back from a refused host: the failure event and notification. */
  static final class NotifyManageFailureTask implements Task<Context> {
    private final SchedulerMessages messages;

    NotifyManageFailureTask(SchedulerMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(Context context) {}

    @Override
    public void revert(Context context, Throwable cause) {
      if (cause instanceof NoValidBackendException refused) {
        messages.manageFailed(context.request, context.manage, refused.getMessage());
      }
    }
  }

  /** Cinder's {@code backend_passes_filters}, on the named host's pools only. */
  static final class HostPassesFiltersTask implements Task<Context> {
    private final FilterScheduler scheduler;

    HostPassesFiltersTask(FilterScheduler scheduler) {
      this.scheduler = scheduler;
    }

    @Override
    public void execute(Context context) {
      ManageExisting m = context.manage;
      try {
        context.placement =
            scheduler.placeOn(new FilterProperties(m.volume(), Retry.first()), m.host());
      } catch (NoValidBackendException e) {
        LOG.warnf(
            "volume %s cannot be managed on %s: %s [%s]",
            m.volume().volumeId(), m.host(), e.getMessage(), e.trail());
        throw e;
      }
    }
  }

  /** {@code manage_existing} to the named host, with the pool the filters found. */
  static final class CastManageExistingTask implements Task<Context> {
    private final SchedulerMessages messages;

    CastManageExistingTask(SchedulerMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(Context context) {
      ManageExisting m = context.manage;
      String pool = context.placement.pool().name();
      messages.manageExisting(
          context.request,
          context.placement.pool().backendHost(),
          new ManageExisting(m.volume(), pool, m.ref()));
      LOG.infof(
          "volume %s: manage_existing %s on %s [%s]",
          m.volume().volumeId(), m.ref(), pool, context.placement.trail());
    }
  }
}
