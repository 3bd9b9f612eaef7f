package io.ember.model.reply;

import io.agroal.api.AgroalDataSource;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.Json;
import io.ember.model.contract.MessageType;
import io.ember.model.jdbc.TransactionConnection;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The answering side of request-reply, for a command handler running in its inbox transaction: the
 * reply goes through the outbox in that transaction, so it leaves exactly when the handler's effect
 * commits.
 *
 * <p>Each reply sent is kept (table {@code reply_sent}, by correlation id). A command that comes
 * again for the same call (re-sent under a new message id; a redelivery with the same id never
 * reaches the handler, the inbox drops it) is answered with the kept reply and its effect is not
 * run again.
 */
@ApplicationScoped
public class ReplySender {

  private static final Logger LOG = Logger.getLogger(ReplySender.class);

  private static final String FIND = "select reply from reply_sent where correlation_id = ?";
  private static final String KEEP =
      "insert into reply_sent (correlation_id, reply) values (?, ?)"
          + " on conflict (correlation_id) do nothing";

  @Inject Outbox outbox;
  @Inject AgroalDataSource dataSource;

  /**
   * Runs {@code effect} and answers the command with what it returns (a contract record, or null).
   * An effect that throws {@link ReplyFailedException} is answered with that fault, and whatever it
   * wrote commits with it; any other exception propagates (the inbox retries the command, then
   * dead-letters it, and the caller's deadline answers). A command without a reply address just
   * runs the effect.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void answer(Envelope command, Supplier<Object> effect) {
    ReplyAddress address = command.reply();
    if (address == null) {
      effect.get();
      return;
    }
    Optional<String> kept = kept(address.correlationId());
    if (kept.isPresent()) {
      send(command, address, Json.read(kept.get(), Reply.class));
      LOG.infof(
          "%s: answered call %s again, effect not repeated",
          command.type(), address.correlationId());
      return;
    }
    Reply reply;
    try {
      reply = Reply.success(address.correlationId(), effect.get());
    } catch (ReplyFailedException refused) {
      reply = Reply.failure(address.correlationId(), refused.getMessage(), refused.code());
    }
    keep(address.correlationId(), reply);
    send(command, address, reply);
  }

  private void send(Envelope command, ReplyAddress address, Reply reply) {
    outbox.send(
        address.topic(), Envelope.of(MessageType.REPLY, command.key(), command.context(), reply));
  }

  private Optional<String> kept(String correlationId) {
    try (Connection connection = TransactionConnection.of(dataSource, "a kept reply");
        PreparedStatement find = connection.prepareStatement(FIND)) {
      find.setString(1, correlationId);
      try (ResultSet row = find.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the reply of call " + correlationId + " failed", e);
    }
  }

  private void keep(String correlationId, Reply reply) {
    try (Connection connection = TransactionConnection.of(dataSource, "a kept reply");
        PreparedStatement keep = connection.prepareStatement(KEEP)) {
      keep.setString(1, correlationId);
      keep.setString(2, Json.write(reply));
      keep.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("keeping the reply of call " + correlationId + " failed", e);
    }
  }
}
