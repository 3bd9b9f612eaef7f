package io.ember.model.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * What one inbox loop tells about its hop, as the service's metrics ({@code /q/metrics}): how long
 * its messages took to arrive and how long their handling took. Together they split a hop into the
 * broker's part and the service's own. A poll taken again after a failure counts again, its
 * records' delivery then including the wait.
 */
final class InboxTimers {

  static final String DELIVERY = "ember.inbox.delivery";
  static final String HANDLING = "ember.inbox.handling";

  private final Timer delivery;
  private final Timer handling;

  InboxTimers(MeterRegistry registry, String consumer, String topic) {
    this.delivery =
        Timer.builder(DELIVERY)
            .description(
                "From a message's record timestamp (its producer's send) until a poll returned it")
            .tag("consumer", consumer)
            .tag("topic", topic)
            .register(registry);
    this.handling =
        Timer.builder(HANDLING)
            .description("How long the handling of a poll's messages took (one transaction)")
            .tag("consumer", consumer)
            .tag("topic", topic)
            .register(registry);
  }

  /** A record a poll returned at {@code polledAtMillis} (the same clock as record timestamps). */
  void delivered(long recordTimestampMillis, long polledAtMillis) {
    // Timestamps are the producer's wall clock; one that lies ahead of ours counts as no wait.
    delivery.record(Math.max(0, polledAtMillis - recordTimestampMillis), TimeUnit.MILLISECONDS);
  }

  void handled(long nanos) {
    handling.record(nanos, TimeUnit.NANOSECONDS);
  }
}
