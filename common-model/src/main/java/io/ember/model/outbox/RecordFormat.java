package io.ember.model.outbox;

import io.ember.model.Topics;
import io.ember.model.contract.CloudEvent;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.deadletter.DeadLetters;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * How an outbox row leaves as a Kafka record. Messages between services go as written (Ember's
 * envelope); a notification goes to event consumers as a CloudEvent in structured mode, as the
 * CloudEvents Kafka protocol binding puts it: the event as JSON in the value, {@code content-type}
 * saying so, and the attributes again as {@code ce_} headers (which the binding allows in
 * structured mode) so a consumer can filter on {@code ce_type} without parsing the value.
 *
 * <p>Converted here, at publishing, rather than when the row is written: rows stay envelopes like
 * every other message (one outbox schema, and rows written before an upgrade still leave in the new
 * format), at the cost of one parse per notification.
 */
@Singleton
public class RecordFormat {

  private static final Logger LOG = Logger.getLogger(RecordFormat.class);

  private final String notificationsTopic;
  private final String deadLetterTopic;

  @Inject
  public RecordFormat(Topics topics) {
    this.notificationsTopic = topics.notifications();
    this.deadLetterTopic = topics.deadLetter();
  }

  /** The record for one outbox row read back from the table. */
  public ProducerRecord<String, String> record(String topic, String key, String payload) {
    return record(topic, key, payload, null);
  }

  /**
   * The record for one outbox row.
   *
   * @param sent the envelope as its sender built it, when the row was written by this process (the
   *     relay publishes most rows right after their commit): a notification becomes a CloudEvent
   *     straight from its objects, without parsing the row back (that parse was about a sixth of a
   *     volume host's CPU); null for a row read from the table
   */
  public ProducerRecord<String, String> record(
      String topic, String key, String payload, Envelope sent) {
    if (!topic.equals(notificationsTopic)) {
      return new ProducerRecord<>(topic, key, payload);
    }
    CloudEvent event;
    try {
      Envelope envelope = sent != null ? sent : Envelope.fromJson(payload);
      if (envelope.messageType() != MessageType.NOTIFICATION) {
        return deadLetter(topic, key, payload, "a " + envelope.type() + " is no notification");
      }
      event = CloudEvent.of(envelope);
    } catch (ContractException e) {
      return deadLetter(topic, key, payload, e.getMessage());
    }
    return new ProducerRecord<>(topic, null, key, event.toJson(), headers(event));
  }

  /**
   * A row no consumer of the notifications topic could read (a bug in its sender): kept, with the
   * reason, on the dead-letter topic, so the notifications topic holds only what its schema says.
   */
  private ProducerRecord<String, String> deadLetter(
      String topic, String key, String payload, String reason) {
    LOG.warnf("outbox row for %s dead-lettered: %s", topic, reason);
    RecordHeaders headers = new RecordHeaders();
    add(headers, DeadLetters.REASON, reason);
    add(headers, "dead-letter-topic", topic);
    add(headers, "dead-letter-consumer", "outbox-relay");
    return new ProducerRecord<>(deadLetterTopic, null, key, payload, headers);
  }

  private static RecordHeaders headers(CloudEvent event) {
    RecordHeaders headers = new RecordHeaders();
    add(headers, "content-type", CloudEvent.CONTENT_TYPE);
    add(headers, "ce_specversion", event.specversion());
    add(headers, "ce_id", event.id());
    add(headers, "ce_source", event.source());
    add(headers, "ce_type", event.type());
    add(
        headers,
        "ce_time",
        event.time() == null ? null : DateTimeFormatter.ISO_INSTANT.format(event.time()));
    add(headers, "ce_subject", event.subject());
    add(headers, "ce_priority", event.priority());
    add(headers, "ce_requestid", event.requestid());
    return headers;
  }

  private static void add(RecordHeaders headers, String name, String value) {
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
