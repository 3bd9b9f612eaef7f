package io.ember.model.outbox;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/**
 * The relay's safety net: wakes it on a timer so rows left by a crash or a broker outage are sent.
 * A separate bean because the timer may fire before the messaging channels are wired; the relay
 * (and its emitter) is touched only once the application has started.
 */
@ApplicationScoped
public class OutboxPoller {

  @Inject OutboxRelay relay;

  private volatile boolean started;

  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) StartupEvent event) {
    started = true;
    relay.sweep();
  }

  @Scheduled(
      every = "${ember.outbox.poll-interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void poll() {
    if (started) {
      relay.sweep();
    }
  }
}
