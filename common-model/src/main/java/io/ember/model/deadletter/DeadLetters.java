package io.ember.model.deadletter;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends a message that cannot be processed to the dead-letter topic, unchanged, with why ({@code
 * dead-letter-reason}), where it came from ({@code dead-letter-topic}) and who gave up on it
 * ({@code dead-letter-consumer}) as headers.
 */
@ApplicationScoped
public class DeadLetters {

  public static final String REASON = "dead-letter-reason";

  @Inject
  @Channel("dead-letter")
  @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
  Emitter<String> emitter;

  /** Completes when the broker has the dead letter. */
  public CompletableFuture<Void> send(
      String consumer, String sourceTopic, String key, String payload, String reason) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, bytes(reason));
    headers.add("dead-letter-topic", bytes(sourceTopic));
    headers.add("dead-letter-consumer", bytes(consumer));
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build();
    CompletableFuture<Void> sent = new CompletableFuture<>();
    emitter.send(
        Message.of(
            payload,
            Metadata.of(metadata),
            () -> {
              sent.complete(null);
              return CompletableFuture.completedFuture(null);
            },
            failure -> {
              sent.completeExceptionally(failure);
              return CompletableFuture.completedFuture(null);
            }));
    return sent;
  }

  private static byte[] bytes(String value) {
    return (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
  }
}
