package io.ember.volume.backend;

import io.agroal.api.AgroalDataSource;
import io.ember.model.jdbc.TransactionConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The records of the snapshots this host's backend holds, written in the caller's transaction.
 * Plain statements, one round trip each: snapshot commands are far rarer than volume creates, so
 * they do without the batching {@link BackendVolumes} does.
 */
@ApplicationScoped
public class BackendSnapshots {

  private static final String COLUMNS =
      "snapshot_id, volume_id, pool, volume_size, provider_location, created_at";
  private static final String FIND =
      "select " + COLUMNS + " from backend_snapshot where snapshot_id = ?";
  private static final String INSERT =
      "insert into backend_snapshot (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?)";
  private static final String TAKE =
      "delete from backend_snapshot where snapshot_id = ? returning " + COLUMNS;

  @Inject AgroalDataSource dataSource;

  /** The record of a snapshot, read in the caller's transaction. */
  public Optional<BackendSnapshot> find(String snapshotId) {
    try (Connection connection = TransactionConnection.of(dataSource, "a backend snapshot record");
        PreparedStatement find = connection.prepareStatement(FIND)) {
      find.setString(1, snapshotId);
      return readOne(find);
    } catch (SQLException e) {
      throw new IllegalStateException("reading snapshot " + snapshotId + " failed", e);
    }
  }

  /** Records a snapshot the backend now holds; commits with the caller's transaction. */
  public BackendSnapshot record(
      String snapshotId, String volumeId, String pool, int volumeSize, String providerLocation) {
    BackendSnapshot snapshot =
        new BackendSnapshot(
            snapshotId, volumeId, pool, volumeSize, providerLocation, Instant.now());
    insert(snapshot);
    return snapshot;
  }

  /** Removes the record of a snapshot and returns what it held; commits with the caller's. */
  public Optional<BackendSnapshot> take(String snapshotId) {
    try (Connection connection = TransactionConnection.of(dataSource, "a backend snapshot record");
        PreparedStatement take = connection.prepareStatement(TAKE)) {
      take.setString(1, snapshotId);
      return readOne(take);
    } catch (SQLException e) {
      throw new IllegalStateException("removing snapshot " + snapshotId + " failed", e);
    }
  }

  /** Puts back a record {@link #take} removed; commits with the caller's transaction. */
  public void restore(BackendSnapshot snapshot) {
    insert(snapshot);
  }

  private void insert(BackendSnapshot snapshot) {
    try (Connection connection = TransactionConnection.of(dataSource, "a backend snapshot record");
        PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setString(1, snapshot.snapshotId());
      insert.setString(2, snapshot.volumeId());
      insert.setString(3, snapshot.pool());
      insert.setInt(4, snapshot.volumeSize());
      insert.setString(5, snapshot.providerLocation());
      insert.setTimestamp(6, Timestamp.from(snapshot.createdAt()));
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("recording snapshot " + snapshot.snapshotId() + " failed", e);
    }
  }

  private static Optional<BackendSnapshot> readOne(PreparedStatement query) throws SQLException {
    try (ResultSet row = query.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new BackendSnapshot(
              row.getString(1),
              row.getString(2),
              row.getString(3),
              row.getInt(4),
              row.getString(5),
              row.getTimestamp(6).toInstant()));
    }
  }
}
