package io.ember.scheduler.flow;

import io.ember.model.contract.Envelope;
import io.ember.model.outbox.Outbox;
import java.util.ArrayList;
import java.util.List;

/** An outbox without a database: keeps what is sent, as it would read back from the topic. */
final class RecordingOutbox extends Outbox {

  record Sent(String topic, Envelope envelope) {}

  final List<Sent> sent = new ArrayList<>();
  private RuntimeException failure;

  /** Every send from now on fails with {@code failure}, as a broken transaction would. */
  RecordingOutbox failingWith(RuntimeException failure) {
    this.failure = failure;
    return this;
  }

  @Override
  public void send(String topic, Envelope envelope) {
    if (failure != null) {
      throw failure;
    }
    sent.add(new Sent(topic, Envelope.fromJson(envelope.toJson())));
  }
}
