package io.ember.scheduler.messaging;

import io.ember.model.outbox.Inbox;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.flow.ScheduleFlowFactory;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Runs the schedule flow for each {@code schedule_volume} request, once per message id, in one
 * transaction with its outgoing messages ({@link Inbox#receive} dead-letters what cannot be
 * processed).
 */
@ApplicationScoped
public class ScheduleRequestConsumer {

  /** The inbox's consumer name (dedupe scope). */
  public static final String CONSUMER = "scheduler.requests";

  @Inject Inbox inbox;
  @Inject ScheduleFlowFactory flows;
  @Inject PoolRegistry registry;

  @Incoming("scheduler-requests")
  @Blocking
  public CompletionStage<Void> onRequest(KafkaRecordBatch<String, String> batch)
      throws InterruptedException {
    registry.awaitLivePool();
    return inbox.receive(CONSUMER, batch, flows::run);
  }
}
