package io.ember.api.testsupport;

import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.TransferAccepted;
import io.ember.model.reply.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A volume host that answers the API's calls (request-reply) while a test's HTTP request waits for
 * them: it reads the host's command topic and, for the volumes a test names, replies as told,
 * refuses, or stays silent (a stopped host).
 */
public final class TransferAnsweringHost implements AutoCloseable {

  /** How the host answers the calls about a volume. */
  public enum Answer {
    ACCEPT,
    REFUSE,
    SILENT,
    /** Accepts, when {@link #release} says so. */
    HOLD
  }

  private final Topics topics = new Topics(TestKafka.prefix());
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Envelope> calls = new CopyOnWriteArrayList<>();
  private final List<Envelope> held = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  public TransferAnsweringHost(String host) {
    String topic = topics.volumeHost(host);
    thread = new Thread(() -> serve(topic), "answering-host");
    thread.setDaemon(true);
    thread.start();
  }

  /** From now on, the calls about {@code volumeId} are answered with {@code answer}. */
  public void answer(String volumeId, Answer answer) {
    answers.put(volumeId, answer);
  }

  /** Accepts the held calls about {@code volumeId} now. */
  public void release(String volumeId) {
    for (Envelope call : held) {
      if (volumeId.equals(call.key())) {
        held.remove(call);
        reply(call, Answer.ACCEPT);
      }
    }
  }

  /** The calls about {@code volumeId} the host has seen, in order. */
  public List<Envelope> calls(String volumeId) {
    return calls.stream().filter(c -> volumeId.equals(c.key())).toList();
  }

  private void serve(String topic) {
    try {
      serveUntilClosed(topic);
    } catch (RuntimeException e) {
      // Seen in the test's output: a host that stopped answering explains the timeouts after.
      System.err.println("answering host stopped: " + e);
      throw e;
    }
  }

  private void serveUntilClosed(String topic) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestKafka.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "answering-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (!stopped) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
          Envelope command = Envelope.fromJson(record.value());
          Answer answer = command.key() == null ? null : answers.get(command.key());
          if (command.reply() != null && answer != null) {
            calls.add(command);
            reply(command, answer);
          }
        }
      }
    }
  }

  private void reply(Envelope command, Answer answer) {
    String correlation = command.reply().correlationId();
    Reply reply =
        switch (answer) {
          case ACCEPT -> Reply.success(correlation, new TransferAccepted(command.key()));
          case REFUSE -> Reply.failure(correlation, "the backend refused the transfer", 500);
          case SILENT -> null;
          case HOLD -> {
            held.add(command);
            yield null;
          }
        };
    if (reply != null) {
      TestKafka.produce(
          command.reply().topic(),
          command.key(),
          Envelope.of(MessageType.REPLY, command.key(), command.context(), reply).toJson());
    }
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
