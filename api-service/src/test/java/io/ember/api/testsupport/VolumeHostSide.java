package io.ember.api.testsupport;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The volume host's side of the topics, as the tests play it: the commands the API sent it about a
 * volume, in order, and the result events it answers with on the volume events topic.
 */
public final class VolumeHostSide {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Topics topics = new Topics(TestKafka.prefix());
  private final String project;

  public VolumeHostSide(String project) {
    this.project = project;
  }

  /** The first {@code count} commands sent to {@code host} about {@code volumeId}, in order. */
  public List<Envelope> commands(String host, String volumeId, int count) {
    List<ConsumerRecord<String, String>> records =
        TestKafka.await(topics.volumeHost(host), r -> volumeId.equals(r.key()), count, WAIT);
    return records.stream().map(r -> Envelope.fromJson(r.value())).toList();
  }

  /** The first command of {@code type} sent to {@code host} about {@code volumeId}. */
  public Envelope command(String host, String volumeId, MessageType type) {
    List<ConsumerRecord<String, String>> found =
        TestKafka.await(
            topics.volumeHost(host),
            r ->
                volumeId.equals(r.key()) && type.wire().equals(Envelope.fromJson(r.value()).type()),
            1,
            WAIT);
    if (found.isEmpty()) {
      throw new AssertionError("no " + type.wire() + " command about " + volumeId);
    }
    return Envelope.fromJson(found.get(0).value());
  }

  /** The envelope of a result event about {@code volumeId}. */
  public Envelope event(MessageType type, String volumeId, Object payload) {
    return Envelope.of(
        type, volumeId, new RequestContext("req-test", "admin", project, List.of()), payload);
  }

  /** Publishes result events on the volume events topic, keyed by the volume as hosts do. */
  public void publish(String volumeId, Envelope... events) {
    TestKafka.produceAll(
        topics.volumeEvents(), volumeId, List.of(events).stream().map(Envelope::toJson).toList());
  }
}
