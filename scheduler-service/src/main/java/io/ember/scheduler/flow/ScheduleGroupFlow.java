package io.ember.scheduler.flow;

import io.ember.model.contract.Envelope;
import io.ember.model.contract.GroupCreateFailed;
import io.ember.model.contract.GroupCreated;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleGroup;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import io.ember.scheduler.capability.AllocationLedger;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.filter.FilterProperties;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.FilterScheduler;
import io.ember.scheduler.placement.NoValidBackendException;
import io.ember.scheduler.placement.Placement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The scheduler's part of a group create (Cinder's scheduler manager {@code create_group}): the
 * pool that suits every volume type of the group is chosen and the API told; the group's volumes
 * are then placed on that pool's backend. No valid backend: the API sets the group to {@code
 * error}.
 */
@ApplicationScoped
public class ScheduleGroupFlow {

  public static final String FLOW_NAME = "group:create_scheduler";

  private static final Logger LOG = Logger.getLogger(ScheduleGroupFlow.class);

  private final LinearFlow<Context> flow;

  @Inject
  public ScheduleGroupFlow(
      FilterScheduler scheduler,
      PoolRegistry registry,
      AllocationLedger ledger,
      SchedulerMessages messages) {
    this.flow =
        LinearFlow.of(
            FLOW_NAME,
            new NotifyGroupFailureTask(messages),
            new PlaceGroupTask(scheduler, registry, ledger),
            new AnnounceGroupTask(messages));
  }

  /** What the tasks share: the request and the pool chosen. */
  static final class Context {
    final Envelope request;
    final ScheduleGroup group;
    Placement placement;

    Context(Envelope request) {
      this.request = request;
      this.group = request.payloadAs(ScheduleGroup.class);
    }
  }

  /**
   * Runs the flow for one {@code schedule_group} request in the caller's transaction. No valid
   * backend is an outcome: the API has been told and the transaction may commit.
   */
  public void run(Envelope request) {
    Placements.run(flow, new Context(request));
  }

  /** First, so that its revert sees every failure after it. */
  static final class NotifyGroupFailureTask implements Task<Context> {

    private final SchedulerMessages messages;

    NotifyGroupFailureTask(SchedulerMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(Context context) {}

    @Override
    public void revert(Context context, Throwable cause) {
      if (cause instanceof NoValidBackendException) {
        messages.groupCreateFailed(
            context.request, new GroupCreateFailed(context.group.groupId(), cause.getMessage()));
      }
    }
  }

  /**
   * The filters for each volume type of the group; the best pool that passes them all. A group
   * takes no space itself, but the pools' room is what every replica's placements left: the choice
   * is made under the shared placement lock, over every replica's in-flight placements, as a
   * volume's is (nothing is recorded).
   */
  static final class PlaceGroupTask implements Task<Context> {

    private final FilterScheduler scheduler;
    private final PoolRegistry registry;
    private final AllocationLedger ledger;

    PlaceGroupTask(FilterScheduler scheduler, PoolRegistry registry, AllocationLedger ledger) {
      this.scheduler = scheduler;
      this.registry = registry;
      this.ledger = ledger;
    }

    @Override
    public void execute(Context context) {
      ScheduleGroup group = context.group;
      registry.syncInFlight(ledger.lockAndRead(registry.oldestReportHeld()));
      List<FilterProperties> perType =
          group.volumeTypes().stream()
              .map(
                  type ->
                      new FilterProperties(
                          new VolumeSpec(
                              group.groupId(),
                              group.projectId(),
                              null,
                              0,
                              null,
                              group.availabilityZone(),
                              type.volumeTypeId(),
                              type.extraSpecs(),
                              Map.of(),
                              null),
                          Retry.first()))
              .toList();
      try {
        context.placement = scheduler.placeGroup(group.groupId(), perType);
      } catch (NoValidBackendException e) {
        LOG.warnf("group %s: %s [%s]", group.groupId(), e.getMessage(), e.trail());
        throw e;
      }
    }
  }

  /** Tells the API where the group is, through the outbox. */
  static final class AnnounceGroupTask implements Task<Context> {

    private final SchedulerMessages messages;

    AnnounceGroupTask(SchedulerMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(Context context) {
      String pool = context.placement.pool().name();
      messages.groupCreated(context.request, new GroupCreated(context.group.groupId(), pool));
      LOG.infof("group %s placed on %s", context.group.groupId(), pool);
    }
  }
}
