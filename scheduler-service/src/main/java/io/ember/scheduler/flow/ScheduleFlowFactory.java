package io.ember.scheduler.flow;

import io.ember.model.contract.Envelope;
import io.ember.model.flow.LinearFlow;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.messaging.SchedulerEvents;
import io.ember.scheduler.placement.FilterScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The scheduler's create-volume flow, assembled in one place as Cinder's {@code
 * scheduler/flows/create_volume.py} {@code get_flow()}.
 */
@ApplicationScoped
public class ScheduleFlowFactory {

  public static final String FLOW_NAME = "volume:create_scheduler";

  private final LinearFlow<ScheduleContext> flow;

  @Inject
  public ScheduleFlowFactory(
      FilterScheduler scheduler,
      PoolRegistry registry,
      SchedulerEvents events,
      TransactionSynchronizationRegistry transactions) {
    this.flow =
        LinearFlow.of(
            FLOW_NAME,
            new ExtractSchedulerSpecTask(),
            new ScheduleCreateVolumeTask(scheduler, registry, events, transactions));
  }

  /** Runs the flow for one {@code schedule_volume} request, inside the caller's transaction. */
  public void run(Envelope request) {
    flow.run(new ScheduleContext(request));
  }
}
