package io.ember.scheduler.flow;

import io.ember.model.contract.Envelope;
import io.ember.model.flow.FlowFailedException;
import io.ember.model.flow.LinearFlow;
import io.ember.scheduler.capability.AllocationLedger;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.FilterScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The scheduler's create-volume flow, assembled in one place as Cinder's {@code
 * scheduler/flows/create_volume.py} {@code get_flow()}.
 */
@ApplicationScoped
public class CreateVolumeFlow {

  public static final String FLOW_NAME = "volume:create_scheduler";

  private final LinearFlow<CreateVolumeContext> flow;

  @Inject
  public CreateVolumeFlow(
      FilterScheduler scheduler,
      PoolRegistry registry,
      AllocationLedger ledger,
      SchedulerMessages messages,
      TransactionSynchronizationRegistry transactions) {
    // The failure task goes first so that its revert sees every failure after it, as in Cinder's
    // Havana scheduler flow (later Cinder handles the failure inside ScheduleCreateVolumeTask).
    this.flow =
        LinearFlow.of(
            FLOW_NAME,
            new NotifySchedulerFailureTask(messages),
            new ExtractSchedulerSpecTask(),
            new ScheduleCreateVolumeTask(scheduler, registry, ledger, messages, transactions));
  }

  /**
   * Runs the flow for one {@code schedule_volume} request, inside the caller's transaction. No
   * valid backend is an outcome, not a fault: the volume has been failed and the transaction may
   * commit.
   *
   * @throws FlowFailedException on any other failure, or when failing the volume failed too
   */
  public void run(Envelope request) {
    Placements.run(flow, new CreateVolumeContext(request));
  }
}
