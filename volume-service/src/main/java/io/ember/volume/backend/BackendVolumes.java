package io.ember.volume.backend;

import io.agroal.api.AgroalDataSource;
import io.ember.model.contract.Envelope;
import io.ember.model.inbox.Inbox;
import io.ember.model.jdbc.TransactionConnection;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The records of what this host's backend holds. Plain statements rather than an entity: each
 * command reads or writes one row once, and a volume host's CPU per command went mostly to the
 * persistence context around those rows (about a quarter of it under load).
 *
 * <p>A poll's records are read with the check of its message ids, in the same round trip ({@link
 * #prefetch}); what its commands then make or take is written as the transaction commits ({@link
 * Outbox#writeAtCommit}), and until then this transaction's own reads see it here, so a later
 * command of the same poll for the same volume sees what an earlier one did.
 */
@ApplicationScoped
public class BackendVolumes {

  private static final String COLUMNS = "pool, size, provider_location, created_at";
  private static final String FIND =
      "select " + COLUMNS + " from backend_volume where volume_id = ?";
  private static final String PREFETCH =
      "select volume_id, " + COLUMNS + " from backend_volume where volume_id = any(?::varchar[])";
  private static final String INSERT =
      "insert into backend_volume (volume_id, " + COLUMNS + ") values (?, ?, ?, ?, ?)";
  private static final String DELETE = "delete from backend_volume where volume_id = ?";
  private static final String TAKE = DELETE + " returning " + COLUMNS;
  private static final String RESIZE = "update backend_volume set size = ? where volume_id = ?";
  private static final String ALLOCATED =
      "select pool, sum(size) from backend_volume group by pool";

  /** This transaction's view of the records: the {@link Pending} resource's key. */
  private static final Object PENDING = new Object();

  /** What this transaction read, made and took, and has not written yet; by volume id. */
  private static final class Pending {
    /** Records as read (prefetched, or taken since): empty where there is none. */
    final Map<String, Optional<BackendVolume>> known = new HashMap<>();

    final Map<String, Outbox.CommitWrite> inserts = new HashMap<>();
    final Map<String, Outbox.CommitWrite> deletes = new HashMap<>();
  }

  @Inject AgroalDataSource dataSource;
  @Inject Outbox outbox;
  @Inject TransactionSynchronizationRegistry transactions;

  /**
   * The read of a poll's records that rides on its inbox check: every volume the poll's messages
   * are about (their keys).
   */
  public Inbox.Prefetch prefetch() {
    return new Inbox.Prefetch() {
      @Override
      public String sql() {
        return PREFETCH;
      }

      @Override
      public void bind(
          Connection connection, PreparedStatement statement, int index, List<Envelope> poll)
          throws SQLException {
        statement.setArray(index, connection.createArrayOf("varchar", keys(poll).toArray()));
      }

      @Override
      public void read(List<Envelope> poll, ResultSet rows) throws SQLException {
        Map<String, Optional<BackendVolume>> known = pending().known;
        keys(poll).forEach(id -> known.put(id, Optional.empty()));
        while (rows.next()) {
          String id = rows.getString(1);
          known.put(id, Optional.of(volume(id, rows, 2)));
        }
      }
    };
  }

  private static Set<String> keys(List<Envelope> poll) {
    Set<String> keys = new LinkedHashSet<>();
    for (Envelope envelope : poll) {
      if (envelope.key() != null) {
        keys.add(envelope.key());
      }
    }
    return keys;
  }

  /** The record of a volume, read in the caller's transaction when there is one. */
  public Optional<BackendVolume> find(String volumeId) {
    Optional<BackendVolume> known = pending().known.get(volumeId);
    if (known != null) {
      return known;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement find = connection.prepareStatement(FIND)) {
      find.setString(1, volumeId);
      return readOne(volumeId, find);
    } catch (SQLException e) {
      throw new IllegalStateException("reading the record of volume " + volumeId + " failed", e);
    }
  }

  /**
   * Removes the record of a volume and returns what it held; commits with the caller's transaction.
   * A record this transaction already read is deleted as it commits; any other in one statement
   * where a read and a delete would take two round trips. A caller whose backend then keeps the
   * volume puts the record back with {@link #restore}.
   */
  public Optional<BackendVolume> take(String volumeId) {
    Pending pending = pending();
    Optional<BackendVolume> known = pending.known.get(volumeId);
    if (known != null) {
      pending.known.put(volumeId, Optional.empty());
      Outbox.CommitWrite unwritten = pending.inserts.remove(volumeId);
      if (unwritten != null) {
        outbox.withdraw(unwritten);
      } else if (known.isPresent()) {
        Outbox.CommitWrite delete =
            new Outbox.CommitWrite(
                DELETE,
                (connection, statement, index) -> {
                  statement.setString(index, volumeId);
                  return index + 1;
                });
        outbox.writeAtCommit(delete);
        pending.deletes.put(volumeId, delete);
      }
      return known;
    }
    try (Connection connection = TransactionConnection.of(dataSource, "a backend volume record");
        PreparedStatement take = connection.prepareStatement(TAKE)) {
      take.setString(1, volumeId);
      return readOne(volumeId, take);
    } catch (SQLException e) {
      throw new IllegalStateException("removing the record of volume " + volumeId + " failed", e);
    }
  }

  private static Optional<BackendVolume> readOne(String volumeId, PreparedStatement query)
      throws SQLException {
    try (ResultSet row = query.executeQuery()) {
      return row.next() ? Optional.of(volume(volumeId, row, 1)) : Optional.empty();
    }
  }

  /** The record in the row's four columns from {@code column} on. */
  private static BackendVolume volume(String volumeId, ResultSet row, int column)
      throws SQLException {
    return new BackendVolume(
        volumeId,
        row.getString(column),
        row.getInt(column + 1),
        row.getString(column + 2),
        row.getTimestamp(column + 3).toInstant());
  }

  /**
   * Records a volume the backend now holds; commits with the caller's transaction, written in the
   * statement of its outgoing messages (nothing in the transaction reads it back).
   */
  public BackendVolume record(String volumeId, String pool, int size, String providerLocation) {
    BackendVolume volume = new BackendVolume(volumeId, pool, size, providerLocation, Instant.now());
    Pending pending = pending();
    if (pending.deletes.containsKey(volumeId)) {
      // Taken earlier in this transaction: the old row goes now, or the insert would meet it.
      outbox.withdraw(pending.deletes.remove(volumeId));
      pending.known.remove(volumeId);
      take(volumeId);
    }
    Outbox.CommitWrite insert =
        new Outbox.CommitWrite(
            INSERT, (connection, statement, index) -> bindRow(statement, index, volume));
    outbox.writeAtCommit(insert);
    pending.inserts.put(volumeId, insert);
    pending.known.put(volumeId, Optional.of(volume));
    return volume;
  }

  /** Puts back a record {@link #take} removed; commits with the caller's transaction. */
  public void restore(BackendVolume volume) {
    Pending pending = pending();
    pending.known.put(volume.volumeId(), Optional.of(volume));
    Outbox.CommitWrite delete = pending.deletes.remove(volume.volumeId());
    if (delete != null) {
      outbox.withdraw(delete);
      return;
    }
    try (Connection connection = TransactionConnection.of(dataSource, "a backend volume record");
        PreparedStatement insert = connection.prepareStatement(INSERT)) {
      bindRow(insert, 1, volume);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("restoring volume " + volume.volumeId() + " failed", e);
    }
  }

  /**
   * Records a volume's new size; commits with the caller's transaction. A record this transaction
   * made is written at its new size; any other is updated now (an extend is rare enough for its own
   * round trip).
   */
  public void resize(String volumeId, int newSize) {
    Pending pending = pending();
    Optional<BackendVolume> known = pending.known.get(volumeId);
    Outbox.CommitWrite unwritten = pending.inserts.get(volumeId);
    if (unwritten != null && known != null && known.isPresent()) {
      BackendVolume old = known.get();
      outbox.withdraw(unwritten);
      pending.inserts.remove(volumeId);
      BackendVolume grown =
          new BackendVolume(volumeId, old.pool(), newSize, old.providerLocation(), old.createdAt());
      Outbox.CommitWrite insert =
          new Outbox.CommitWrite(
              INSERT, (connection, statement, index) -> bindRow(statement, index, grown));
      outbox.writeAtCommit(insert);
      pending.inserts.put(volumeId, insert);
      pending.known.put(volumeId, Optional.of(grown));
      return;
    }
    try (Connection connection = TransactionConnection.of(dataSource, "a backend volume record");
        PreparedStatement resize = connection.prepareStatement(RESIZE)) {
      resize.setInt(1, newSize);
      resize.setString(2, volumeId);
      resize.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("resizing the record of volume " + volumeId + " failed", e);
    }
    if (known != null && known.isPresent()) {
      BackendVolume old = known.get();
      pending.known.put(
          volumeId,
          Optional.of(
              new BackendVolume(
                  volumeId, old.pool(), newSize, old.providerLocation(), old.createdAt())));
    }
  }

  /** This transaction's pending view; an empty one outside a transaction. */
  private Pending pending() {
    if (transactions.getTransactionKey() == null) {
      return new Pending();
    }
    Pending pending = (Pending) transactions.getResource(PENDING);
    if (pending == null) {
      pending = new Pending();
      transactions.putResource(PENDING, pending);
    }
    return pending;
  }

  /** Binds a row's five parameters from {@code index}; returns the next free index. */
  private static int bindRow(PreparedStatement statement, int index, BackendVolume volume)
      throws SQLException {
    statement.setString(index, volume.volumeId());
    statement.setString(index + 1, volume.pool());
    statement.setInt(index + 2, volume.size());
    statement.setString(index + 3, volume.providerLocation());
    statement.setTimestamp(index + 4, Timestamp.from(volume.createdAt()));
    return index + 5;
  }

  /** Gigabytes allocated per pool ({@code host@backend#pool}), as Cinder's manager counts them. */
  public Map<String, Long> allocatedGbByPool() {
    Map<String, Long> allocated = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement sum = connection.prepareStatement(ALLOCATED);
        ResultSet rows = sum.executeQuery()) {
      while (rows.next()) {
        allocated.put(rows.getString(1), rows.getLong(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("summing the allocated capacity failed", e);
    }
    return allocated;
  }
}
