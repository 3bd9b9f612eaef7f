package io.ember.model.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.ember.model.RequestContext;
import io.ember.model.reply.ReplyAddress;
import java.time.Instant;
import java.util.UUID;

/**
 * Every Kafka message Ember sends: an id for idempotent consumers, the request id the API returned,
 * the acting context, the schema version, and a typed payload.
 *
 * @param key the Kafka record key (the volume id, so one volume's messages keep their order)
 * @param payload the contract record as the sender built it, written straight into the message; in
 *     a message read back, its tokens as parsed, read into a contract by {@link #payloadAs}.
 *     Neither side builds a JSON tree (those conversions were a third of a volume host's JSON
 *     work).
 * @param reply where to answer, on a command whose caller waits for a reply; absent otherwise
 */
public record Envelope(
    int schemaVersion,
    String messageId,
    String type,
    String key,
    RequestContext context,
    Instant occurredAt,
    @JsonDeserialize(as = TokenBuffer.class) Object payload,
    @JsonInclude(JsonInclude.Include.NON_NULL) ReplyAddress reply) {

  public static final int SCHEMA_VERSION = 1;

  public static Envelope of(MessageType type, String key, RequestContext context, Object payload) {
    return new Envelope(
        SCHEMA_VERSION,
        UUID.randomUUID().toString(),
        type.wire(),
        key,
        context,
        Instant.now(),
        payload,
        null);
  }

  /** This command, asking for a reply at {@code address} (request-reply, {@code reply/}). */
  public Envelope withReply(ReplyAddress address) {
    return new Envelope(schemaVersion, messageId, type, key, context, occurredAt, payload, address);
  }

  public String requestId() {
    return context == null ? null : context.requestId();
  }

  public MessageType messageType() {
    return MessageType.fromWire(type);
  }

  /**
   * The payload as its contract record; fails with {@link ContractException} when it does not fit.
   */
  public <T> T payloadAs(Class<T> contract) {
    if (contract.isInstance(payload)) {
      return contract.cast(payload);
    }
    try {
      if (payload instanceof TokenBuffer tokens) {
        try (JsonParser parser = tokens.asParser(Json.MAPPER)) {
          return Json.MAPPER.readValue(parser, contract);
        }
      }
      return Json.MAPPER.convertValue(payload, contract);
    } catch (Exception e) {
      throw new ContractException(
          "payload of "
              + type
              + " does not match "
              + contract.getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  public String toJson() {
    return Json.write(this);
  }

  public static Envelope fromJson(String json) {
    Envelope envelope = Json.read(json, Envelope.class);
    if (envelope.messageId() == null || envelope.type() == null || envelope.payload() == null) {
      throw new ContractException("envelope lacks message_id, type or payload");
    }
    if (envelope.schemaVersion() > SCHEMA_VERSION) {
      throw new ContractException("unsupported schema version " + envelope.schemaVersion());
    }
    return envelope;
  }
}
