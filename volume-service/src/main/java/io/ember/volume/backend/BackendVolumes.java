package io.ember.volume.backend;

import io.agroal.api.AgroalDataSource;
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
import java.util.Map;
import java.util.Optional;

/**
 * The records of what this host's backend holds. Plain statements rather than an entity: each
 * command reads or writes one row once, and a volume host's CPU per command went mostly to the
 * persistence context around those rows (about a quarter of it under load).
 *
 * <p>A new record is written as its transaction commits ({@link Outbox#writeAtCommit}); until then
 * this transaction's own reads find it here, so a later command of the same poll for the same
 * volume sees what an earlier one did.
 */
@ApplicationScoped
public class BackendVolumes {

  private static final String FIND =
      "select pool, size, provider_location, created_at from backend_volume where volume_id = ?";
  private static final String INSERT =
      "insert into backend_volume (volume_id, pool, size, provider_location, created_at)"
          + " values (?, ?, ?, ?, ?)";
  private static final String TAKE =
      "delete from backend_volume where volume_id = ?"
          + " returning pool, size, provider_location, created_at";
  private static final String ALLOCATED =
      "select pool, sum(size) from backend_volume group by pool";

  /** The records this transaction made and has not written yet, by volume id. */
  private static final Object UNWRITTEN = new Object();

  private record Unwritten(BackendVolume volume, Outbox.CommitWrite insert) {}

  @Inject AgroalDataSource dataSource;
  @Inject Outbox outbox;
  @Inject TransactionSynchronizationRegistry transactions;

  /** The record of a volume, read in the caller's transaction when there is one. */
  public Optional<BackendVolume> find(String volumeId) {
    Unwritten made = unwritten().get(volumeId);
    if (made != null) {
      return Optional.of(made.volume());
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement find = connection.prepareStatement(FIND)) {
      find.setString(1, volumeId);
      return read(volumeId, find);
    } catch (SQLException e) {
      throw new IllegalStateException("reading the record of volume " + volumeId + " failed", e);
    }
  }

  /**
   * Removes the record of a volume and returns what it held: one statement where a read and a
   * delete would take two round trips. Commits with the caller's transaction; a caller whose
   * backend then keeps the volume puts the record back with {@link #restore}.
   */
  public Optional<BackendVolume> take(String volumeId) {
    Unwritten made = unwritten().remove(volumeId);
    if (made != null) {
      outbox.withdraw(made.insert());
      return Optional.of(made.volume());
    }
    try (Connection connection = TransactionConnection.of(dataSource, "a backend volume record");
        PreparedStatement take = connection.prepareStatement(TAKE)) {
      take.setString(1, volumeId);
      return read(volumeId, take);
    } catch (SQLException e) {
      throw new IllegalStateException("removing the record of volume " + volumeId + " failed", e);
    }
  }

  private static Optional<BackendVolume> read(String volumeId, PreparedStatement query)
      throws SQLException {
    try (ResultSet row = query.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new BackendVolume(
              volumeId,
              row.getString(1),
              row.getInt(2),
              row.getString(3),
              row.getTimestamp(4).toInstant()));
    }
  }

  /**
   * Records a volume the backend now holds; commits with the caller's transaction, written in the
   * statement of its outgoing messages (nothing in the transaction reads it back).
   */
  public BackendVolume record(String volumeId, String pool, int size, String providerLocation) {
    BackendVolume volume = new BackendVolume(volumeId, pool, size, providerLocation, Instant.now());
    Outbox.CommitWrite insert =
        new Outbox.CommitWrite(
            INSERT, (connection, statement, index) -> bindRow(statement, index, volume));
    outbox.writeAtCommit(insert);
    unwritten().put(volumeId, new Unwritten(volume, insert));
    return volume;
  }

  /** This transaction's unwritten records; none outside a transaction. */
  @SuppressWarnings("unchecked")
  private Map<String, Unwritten> unwritten() {
    if (transactions.getTransactionKey() == null) {
      return new HashMap<>();
    }
    Map<String, Unwritten> made = (Map<String, Unwritten>) transactions.getResource(UNWRITTEN);
    if (made == null) {
      made = new HashMap<>();
      transactions.putResource(UNWRITTEN, made);
    }
    return made;
  }

  /** Puts back a record {@link #take} removed; commits with the caller's transaction. */
  public void restore(BackendVolume volume) {
    try (Connection connection = TransactionConnection.of(dataSource, "a backend volume record");
        PreparedStatement insert = connection.prepareStatement(INSERT)) {
      bindRow(insert, 1, volume);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("restoring volume " + volume.volumeId() + " failed", e);
    }
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
