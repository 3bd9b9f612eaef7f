package io.ember.model.inbox;

import io.agroal.api.AgroalDataSource;
import io.ember.model.config.SharedConfig;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.Envelope;
import io.ember.model.deadletter.DeadLetters;
import io.ember.model.jdbc.TransactionConnection;
import io.ember.model.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The receiving half of the delivery rules, for a batch of records as one poll returned them.
 *
 * <ul>
 *   <li>Each message's id is recorded in the same transaction as its effect, so a redelivered
 *       message has no second effect.
 *   <li>The batch is handled in one transaction (one commit, one relay hand-off for everything it
 *       sends); when that fails, each message is handled alone, so one bad message cannot hold back
 *       the others.
 *   <li>A message that breaks the contract goes to the dead-letter topic at once, with the reason;
 *       one whose handling fails otherwise (say the database blinked) is retried a few times first.
 *   <li>A consumer whose effects are all in the transaction may have the ids checked at commit
 *       ({@link DuplicateCheck#AT_COMMIT}): they are written with its outgoing messages, in one
 *       statement, and a redelivery fails that statement, after which the batch is handled again
 *       with the check first. That saves a round trip per poll; a consumer with effects outside the
 *       database (a backend driver) must check first.
 * </ul>
 *
 * {@link #receive} returns only when every message of the batch was handled or dead-lettered; its
 * caller ({@link InboxLoop}) commits the offsets then.
 */
@ApplicationScoped
public class Inbox {

  private static final Logger LOG = Logger.getLogger(Inbox.class);
  public static final String REQUEST_ID = "requestId";

  private static final String RECORD_IDS =
      "insert into inbox (consumer, message_id) select ?, unnest(?::varchar[])"
          + " on conflict do nothing returning message_id";

  @Inject AgroalDataSource dataSource;
  @Inject DeadLetters deadLetters;

  @Inject SharedConfig config;

  @Inject Outbox outbox;

  /** When a message id is checked against the ids already handled. */
  public enum DuplicateCheck {
    /** Before the handler runs, in a statement of its own. */
    FIRST,
    /** When the transaction commits, in the statement that writes its outgoing messages. */
    AT_COMMIT
  }

  /**
   * A read of what a poll's handlers will need (the rows their messages are about), sent in the
   * same round trip as the statement that checks the poll's ids ({@link DuplicateCheck#FIRST}), so
   * that a poll's handlers need not read those rows one at a time.
   */
  public interface Prefetch {
    /** One read statement. */
    String sql();

    /** Binds its parameters, from {@code index} on, for the poll's messages (repeats included). */
    void bind(Connection connection, PreparedStatement statement, int index, List<Envelope> poll)
        throws SQLException;

    /** Takes its rows, in the poll's transaction, before any handler runs. */
    void read(List<Envelope> poll, ResultSet rows) throws SQLException;
  }

  /**
   * A handler that also sees each poll whole, in its transaction, before the poll's messages come
   * to it one by one: so that it can do in one statement for all of them what it would otherwise do
   * in one statement per message. It gets the poll's first deliveries, in order.
   */
  public interface PollHandler extends Consumer<Envelope> {
    void begin(List<Envelope> firstDeliveries);
  }

  private record Item(ConsumerRecord<String, String> record, Envelope envelope) {}

  /**
   * Handles one poll's records of one topic, in order.
   *
   * @param prefetch read with the ids' check ({@link DuplicateCheck#FIRST} only), or null
   * @throws IllegalStateException when dead letters could not be sent: nothing of the batch may be
   *     committed then
   */
  public void receive(
      String consumer,
      List<ConsumerRecord<String, String>> records,
      Consumer<Envelope> handler,
      DuplicateCheck check,
      Prefetch prefetch) {
    if (prefetch != null && check != DuplicateCheck.FIRST) {
      throw new IllegalArgumentException("a prefetch rides on the check made first");
    }
    List<CompletableFuture<Void>> deadLettered = new ArrayList<>();
    List<Item> items = new ArrayList<>();
    for (ConsumerRecord<String, String> record : records) {
      try {
        items.add(new Item(record, Envelope.fromJson(record.value())));
      } catch (ContractException broken) {
        deadLettered.add(deadLetter(consumer, record, null, broken));
      }
    }
    if (!items.isEmpty()) {
      try {
        QuarkusTransaction.requiringNew()
            .run(
                () -> {
                  if (check == DuplicateCheck.AT_COMMIT) {
                    processCheckingAtCommit(consumer, items, handler);
                  } else {
                    processBatch(consumer, items, handler, prefetch, false);
                  }
                });
      } catch (RuntimeException batchFailure) {
        // A redelivery (AT_COMMIT) lands here too: one by one, the check comes first.
        LOG.debugf(
            "%s: batch of %d failed, handling one by one: %s",
            consumer, items.size(), batchFailure.toString());
        for (Item item : items) {
          CompletableFuture<Void> dead =
              processAlone(consumer, item, handler, prefetch, check == DuplicateCheck.AT_COMMIT);
          if (dead != null) {
            deadLettered.add(dead);
          }
        }
      }
    }
    awaitAll(deadLettered);
  }

  /** Handles one message in its own transaction, retrying passing failures; null when done. */
  private CompletableFuture<Void> processAlone(
      String consumer,
      Item item,
      Consumer<Envelope> handler,
      Prefetch prefetch,
      boolean handledOnce) {
    for (int attempt = 1; ; attempt++) {
      try {
        QuarkusTransaction.requiringNew()
            .run(() -> processBatch(consumer, List.of(item), handler, prefetch, handledOnce));
        return null;
      } catch (RuntimeException failure) {
        ContractException broken = contractCause(failure);
        if (broken != null) {
          return deadLetter(consumer, item.record(), item.envelope(), broken);
        }
        if (attempt >= config.inbox().maxAttempts()) {
          LOG.errorf(
              failure, "%s: %s failed %d times", consumer, describe(item.envelope()), attempt);
          return deadLetter(consumer, item.record(), item.envelope(), failure);
        }
        LOG.warnf(
            "%s: %s failed (attempt %d), retrying: %s",
            consumer, describe(item.envelope()), attempt, failure.toString());
        pause(config.inbox().retryBackoff().multipliedBy(attempt));
      }
    }
  }

  /**
   * A whole poll (or one message of it, on the fallback path): every message id recorded by one
   * statement, then the effects of the first deliveries in order (a message repeated within the
   * poll takes effect once).
   */
  private void processBatch(
      String consumer,
      List<Item> items,
      Consumer<Envelope> handler,
      Prefetch prefetch,
      boolean handledOnce) {
    Set<String> fresh = firstDeliveries(consumer, items, prefetch);
    begin(handler, items, fresh);
    for (Item item : items) {
      Envelope envelope = item.envelope();
      process(consumer, envelope, fresh.remove(envelope.messageId()), handledOnce, handler);
    }
  }

  /** Shows a {@link PollHandler} the messages among {@code items} it is about to handle. */
  private static void begin(Consumer<Envelope> handler, List<Item> items, Set<String> fresh) {
    if (!(handler instanceof PollHandler whole)) {
      return;
    }
    Set<String> seen = new HashSet<>();
    List<Envelope> first = new ArrayList<>();
    for (Item item : items) {
      String id = item.envelope().messageId();
      if (fresh.contains(id) && seen.add(id)) {
        first.add(item.envelope());
      }
    }
    whole.begin(first);
  }

  /**
   * A whole poll whose ids are recorded as the transaction commits: each id's first occurrence in
   * the poll takes effect, and the commit fails if any was handled before.
   */
  private void processCheckingAtCommit(
      String consumer, List<Item> items, Consumer<Envelope> handler) {
    Set<String> ids = new LinkedHashSet<>();
    for (Item item : items) {
      ids.add(item.envelope().messageId());
    }
    // Queued first, so that a handler's first write may carry it (Outbox#takeDeliveries).
    outbox.recordDeliveries(consumer, List.copyOf(ids));
    begin(handler, items, ids);
    Set<String> inPoll = new HashSet<>();
    for (Item item : items) {
      Envelope envelope = item.envelope();
      process(consumer, envelope, inPoll.add(envelope.messageId()), false, handler);
    }
  }

  /**
   * Hands a first delivery to the handler, under its request id; logs a repeated one.
   *
   * @param handledOnce whether an attempt checked at commit already ran the handler for it
   */
  private static void process(
      String consumer,
      Envelope envelope,
      boolean first,
      boolean handledOnce,
      Consumer<Envelope> handler) {
    MDC.put(REQUEST_ID, envelope.requestId() == null ? "-" : envelope.requestId());
    try {
      if (first) {
        handler.accept(envelope);
      } else if (handledOnce) {
        // That attempt logged effects that were then rolled back.
        LOG.infof(
            "%s: %s was a redelivery; what handling it again did was rolled back",
            consumer, describe(envelope));
      } else {
        LOG.debugf("%s: duplicate %s ignored", consumer, describe(envelope));
      }
    } finally {
      MDC.remove(REQUEST_ID);
    }
  }

  /**
   * The batch counts as handled only once the broker holds its dead letters. If it will not take
   * them, the batch fails uncommitted ({@link InboxLoop} reports unhealthy and takes the batch
   * again; the inbox drops what was already done).
   */
  private static void awaitAll(List<CompletableFuture<Void>> sends) {
    try {
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering", e);
    } catch (Exception e) {
      throw new IllegalStateException("the dead-letter topic did not take the messages", e);
    }
  }

  private CompletableFuture<Void> deadLetter(
      String consumer, ConsumerRecord<String, String> record, Envelope envelope, Throwable why) {
    String reason = why.getMessage() == null ? why.toString() : why.getMessage();
    LOG.warnf(
        "%s: dead-lettering %s: %s",
        consumer,
        envelope == null ? "a message from " + record.topic() : describe(envelope),
        reason);
    return deadLetters.send(consumer, record.topic(), record.key(), record.value(), reason);
  }

  /**
   * The ids of {@code items} not seen before, recorded now: one statement for the whole poll, with
   * the same text for every poll (so the driver prepares it once), on the transaction's own
   * connection, as {@link Outbox} writes its rows. A prefetch goes in the same round trip.
   */
  private Set<String> firstDeliveries(String consumer, List<Item> items, Prefetch prefetch) {
    String[] ids = items.stream().map(i -> i.envelope().messageId()).toArray(String[]::new);
    Set<String> fresh = new HashSet<>();
    String sql = prefetch == null ? RECORD_IDS : RECORD_IDS + ";\n" + prefetch.sql();
    try (Connection connection = TransactionConnection.of(dataSource, "the inbox");
        PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, consumer);
      insert.setArray(2, connection.createArrayOf("varchar", ids));
      List<Envelope> poll = prefetch == null ? null : items.stream().map(Item::envelope).toList();
      if (prefetch != null) {
        prefetch.bind(connection, insert, 3, poll);
      }
      insert.execute();
      try (ResultSet recorded = insert.getResultSet()) {
        while (recorded.next()) {
          fresh.add(recorded.getString(1));
        }
      }
      if (prefetch != null) {
        if (!insert.getMoreResults()) {
          throw new IllegalStateException("the prefetch returned no rows: " + prefetch.sql());
        }
        try (ResultSet rows = insert.getResultSet()) {
          prefetch.read(poll, rows);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("recording " + ids.length + " message ids failed", e);
    }
    return fresh;
  }

  private static String describe(Envelope envelope) {
    return envelope.type() + " " + envelope.messageId();
  }

  private static ContractException contractCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ContractException broken) {
        return broken;
      }
    }
    return null;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
