package io.ember.scheduler.inbound;

import io.ember.model.Topics;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.inbox.Inbox.DuplicateCheck;
import io.ember.model.inbox.InboxLoops;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.config.SchedulerConfig;
import io.ember.scheduler.flow.CreateVolumeFlow;
import io.ember.scheduler.flow.ExtendVolumeFlow;
import io.ember.scheduler.flow.ManageExistingFlow;
import io.ember.scheduler.flow.MigrateVolumeToHostFlow;
import io.ember.scheduler.flow.RetypeFlow;
import io.ember.scheduler.flow.ScheduleGroupFlow;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Runs the create-volume flow for each {@code schedule_volume} request (the retype flow for each
 * {@code schedule_retype}, the extend flow for each {@code schedule_extend}), once per message id,
 * in one transaction with its outgoing messages ({@link io.ember.model.inbox.Inbox#receive}
 * dead-letters what cannot be processed).
 */
@ApplicationScoped
public class ScheduleRequestConsumer {

  /** The inbox's consumer name (dedupe scope). */
  public static final String CONSUMER = "scheduler.requests";

  @Inject CreateVolumeFlow flow;
  @Inject MigrateVolumeToHostFlow migrateFlow;
  @Inject RetypeFlow retypeFlow;
  @Inject ManageExistingFlow manageFlow;
  @Inject ExtendVolumeFlow extendFlow;
  @Inject ScheduleGroupFlow groupFlow;
  @Inject PoolRegistry registry;

  @Inject InboxLoops loops;
  @Inject Topics topics;
  @Inject SchedulerConfig config;

  void start(@Observes StartupEvent event) {
    // The effects are the outgoing messages and an in-flight count a rollback gives back: the ids
    // are checked as the transaction commits.
    loops.start(
        CONSUMER,
        topics.schedulerRequests(),
        config.consumerGroup(),
        registry::awaitView,
        DuplicateCheck.AT_COMMIT,
        this::dispatch);
  }

  private void dispatch(Envelope request) {
    switch (request.messageType()) {
      case SCHEDULE_VOLUME -> flow.run(request);
      case MIGRATE_VOLUME_TO_HOST -> migrateFlow.run(request);
      case SCHEDULE_RETYPE -> retypeFlow.run(request);
      case SCHEDULE_EXTEND -> extendFlow.run(request);
      case SCHEDULE_GROUP -> groupFlow.run(request);
      case SCHEDULE_MANAGE_EXISTING -> manageFlow.run(request);
      default -> throw new ContractException("the scheduler does not handle " + request.type());
    }
  }
}
