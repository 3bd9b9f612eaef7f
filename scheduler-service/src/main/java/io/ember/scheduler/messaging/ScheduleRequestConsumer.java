package io.ember.scheduler.messaging;

import io.ember.model.Topics;
import io.ember.model.inbox.Inbox.DuplicateCheck;
import io.ember.model.inbox.InboxLoops;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.flow.ScheduleFlowFactory;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the schedule flow for each {@code schedule_volume} request, once per message id, in one
 * transaction with its outgoing messages ({@link Inbox#receive} dead-letters what cannot be
 * processed).
 */
@ApplicationScoped
public class ScheduleRequestConsumer {

  /** The inbox's consumer name (dedupe scope). */
  public static final String CONSUMER = "scheduler.requests";

  @Inject ScheduleFlowFactory flows;
  @Inject PoolRegistry registry;

  @Inject InboxLoops loops;
  @Inject Topics topics;

  @ConfigProperty(name = "ember.scheduler.consumer-group", defaultValue = "ember-scheduler")
  String groupId;

  void start(@Observes StartupEvent event) {
    // The effects are the outgoing messages and an in-flight count a rollback gives back: the ids
    // are checked as the transaction commits.
    loops.start(
        CONSUMER,
        topics.schedulerRequests(),
        groupId,
        registry::awaitLivePool,
        DuplicateCheck.AT_COMMIT,
        flows::run);
  }
}
