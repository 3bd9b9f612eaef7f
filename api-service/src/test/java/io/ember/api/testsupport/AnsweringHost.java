package io.ember.api.testsupport;

import io.ember.model.Topics;
import io.ember.model.contract.ConnectionInfo;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ManageableList;
import io.ember.model.contract.MessageType;
import io.ember.model.reply.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A volume host as the tests play it over the real broker: reads the calls sent to its topic and
 * answers each on the reply topic its envelope names, as the volume service's {@code ReplySender}
 * would; how (at once, late, twice, with a fault, or not at all) is up to the test.
 */
public final class AnsweringHost implements AutoCloseable {

  /** How the host answers the next calls. */
  public enum Mode {
    ANSWER,
    SLOW,
    TWICE,
    REFUSE,
    SILENT
  }

  private static final Set<MessageType> CALLS =
      Set.of(
          MessageType.ATTACHMENT_UPDATE,
          MessageType.INITIALIZE_CONNECTION,
          MessageType.ATTACH_VOLUME,
          MessageType.ATTACHMENT_DELETE,
          MessageType.TERMINATE_CONNECTION,
          MessageType.DETACH_VOLUME,
          MessageType.MIGRATE_VOLUME_COMPLETION,
          MessageType.LIST_MANAGEABLE);

  private final KafkaConsumer<String, String> consumer;
  private final Thread thread;
  private final List<Envelope> received = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.ANSWER;
  private volatile ManageableList manageable = new ManageableList(List.of());
  private volatile boolean stopped;

  public AnsweringHost(String host) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-host-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest"),
            new StringDeserializer(),
            new StringDeserializer());
    consumer.subscribe(List.of(new Topics(TestKafka.prefix()).volumeHost(host)));
    // Joined and positioned before any call is made.
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(100));
    }
    thread = new Thread(this::run, "answering-host");
    thread.setDaemon(true);
    thread.start();
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** What the host answers to {@code get_manageable} from now on. */
  public void manageable(ManageableList listing) {
    this.manageable = listing;
  }

  /** The calls received so far. */
  public List<Envelope> calls() {
    return List.copyOf(received);
  }

  private void run() {
    while (!stopped) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
        Envelope command = Envelope.fromJson(record.value());
        if (!CALLS.contains(command.messageType()) || command.reply() == null) {
          continue;
        }
        received.add(command);
        answer(command);
      }
    }
    consumer.close();
  }

  private void answer(Envelope command) {
    String correlation = command.reply().correlationId();
    Reply reply =
        switch (mode) {
          case REFUSE -> Reply.failure(correlation, "Volume refused by the test host.", 400);
          default -> Reply.success(correlation, result(command));
        };
    switch (mode) {
      case SILENT -> {
        return;
      }
      case SLOW -> sleep(1_500);
      default -> {}
    }
    Envelope envelope = Envelope.of(MessageType.REPLY, command.key(), command.context(), reply);
    int times = mode == Mode.TWICE ? 2 : 1;
    for (int i = 0; i < times; i++) {
      TestKafka.produce(command.reply().topic(), command.key(), envelope.toJson());
    }
  }

  private Object result(Envelope command) {
    MessageType type = command.messageType();
    if (type == MessageType.LIST_MANAGEABLE) {
      return manageable;
    }
    if (type == MessageType.ATTACHMENT_UPDATE || type == MessageType.INITIALIZE_CONNECTION) {
      return new ConnectionInfo(
          "iscsi", Map.of("access_mode", "rw", "encrypted", false, "cacheable", false));
    }
    return null;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
