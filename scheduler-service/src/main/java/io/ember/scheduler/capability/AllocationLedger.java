package io.ember.scheduler.capability;

import io.agroal.api.AgroalDataSource;
import io.ember.model.jdbc.TransactionConnection;
import io.ember.model.outbox.Outbox;
import io.ember.scheduler.config.SchedulerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The in-flight placements of every scheduler replica, in the scheduler database ({@code
 * pool_allocations}). A placement is decided under one transaction-scoped advisory lock, after
 * reading every replica's placements, and recorded in the same transaction as its outgoing command:
 * two replicas never both see the same free space, and a placement rolled back is gone with its
 * row. docs/replicas.md says why this and not partitioning.
 */
@ApplicationScoped
public class AllocationLedger {

  private static final Logger LOG = Logger.getLogger(AllocationLedger.class);

  /** The advisory lock every placement decision takes (any constant; this one spells "PLACE"). */
  public static final long PLACEMENT_LOCK = 0x504c414345L;

  private static final String FORGET =
      "delete from pool_allocations where placed_at < now() - make_interval(secs => ?)"
          + " or acked_at < now() - make_interval(secs => ?);";

  /**
   * Rows acknowledged by a report no newer than {@code ?} are left out: the reader holds a report
   * at least that new of every pool it knows, so they count for none (the bench's bursts left
   * thousands of acknowledged rows). One range of the {@code pool_allocations_counting} index.
   */
  static final String READ =
      "select volume_id, pool, size_gb, placed_at, acked_report_at from pool_allocations"
          + " where coalesce(acked_report_at, 'infinity'::timestamptz) > ?";

  private static final String LOCK = "select pg_advisory_xact_lock(?);";

  private static final String LOCK_READ = LOCK + READ;

  private static final String LOCK_FORGET_READ = LOCK + FORGET + READ;

  /** Forgetting is housekeeping: at most this often, not on every placement. */
  private static final long FORGET_EVERY_NANOS = 1_000_000_000L;

  private volatile long lastForget = System.nanoTime() - FORGET_EVERY_NANOS;

  /** Every placement of the transaction, one row each, written as it commits. */
  private static final String RECORD =
      "insert into pool_allocations (volume_id, pool, size_gb)"
          + " select * from unnest(?::varchar[], ?::varchar[], ?::float8[])"
          + " on conflict (volume_id) do update set pool = excluded.pool,"
          + " size_gb = excluded.size_gb, placed_at = now(), acked_report_at = null,"
          + " acked_at = null";

  /** The key of this transaction's placements not written yet (volume id to placement). */
  private static final Object PENDING = new Object();

  private static final String ACKNOWLEDGE =
      "update pool_allocations set acked_report_at = ?, acked_at = now()"
          + " where pool = ? and volume_id = any(?) and acked_report_at is null";

  /**
   * Per pool, the volumes this replica acknowledged lately. A report repeats the last 256 creates
   * of its pool, nearly all acknowledged by earlier reports: only the others are looked up (a
   * report follows every create, and the full update had cost each one a scan of the report's ids).
   */
  private final Map<String, LinkedHashSet<String>> acknowledged = new HashMap<>();

  /** How many acknowledged volumes per pool are remembered: more than a report lists. */
  private static final int REMEMBERED_PER_POOL = 1024;

  @Inject AgroalDataSource dataSource;
  @Inject SchedulerConfig config;
  @Inject Outbox outbox;
  @Inject TransactionSynchronizationRegistry transactions;

  /**
   * In the caller's transaction: waits for the placement lock (held until the transaction ends),
   * forgets what no replica needs any more, and returns every replica's placements.
   *
   * <p>A row is forgotten when it is older than {@code in-flight-timeout} (no report will ever
   * acknowledge it), or when a report acknowledged it more than {@code service-down-time} ago:
   * every live replica has taken that report by then, and a pool whose reports lag more is not
   * scheduled on.
   *
   * @param heldSince the oldest report this replica holds of any pool (null: none, read every row)
   */
  public List<InFlightAllocation> lockAndRead(Instant heldSince) {
    long now = System.nanoTime();
    boolean forget = now - lastForget >= FORGET_EVERY_NANOS;
    if (forget) {
      lastForget = now;
    }
    // One round trip: the server runs the statements in order, each of the later ones once the
    // lock is granted, and under READ COMMITTED the read's snapshot is taken then, so it sees every
    // placement committed by the lock's earlier holders. A typed timestamp spares the driver a
    // round trip to ask the server its type.
    try (Connection connection = TransactionConnection.of(dataSource, "a placement");
        PreparedStatement statements =
            connection.prepareStatement(forget ? LOCK_FORGET_READ : LOCK_READ)) {
      int index = 1;
      statements.setLong(index++, PLACEMENT_LOCK);
      if (forget) {
        statements.setDouble(index++, config.inFlightTimeout().toMillis() / 1000.0);
        statements.setDouble(index++, config.serviceDownTime().toMillis() / 1000.0);
      }
      statements.setObject(
          index,
          OffsetDateTime.ofInstant(heldSince == null ? Instant.EPOCH : heldSince, ZoneOffset.UTC),
          Types.TIMESTAMP_WITH_TIMEZONE);
      statements.execute();
      while (statements.getMoreResults() || statements.getUpdateCount() != -1) {
        ResultSet rows = statements.getResultSet();
        if (rows != null) {
          return withPending(allocations(rows));
        }
      }
      throw new IllegalStateException("the placement read returned no result");
    } catch (SQLException e) {
      throw new IllegalStateException("reading the in-flight placements failed", e);
    }
  }

  private static List<InFlightAllocation> allocations(ResultSet rows) throws SQLException {
    try (rows) {
      List<InFlightAllocation> allocations = new ArrayList<>();
      while (rows.next()) {
        OffsetDateTime acked = rows.getObject(5, OffsetDateTime.class);
        allocations.add(
            new InFlightAllocation(
                rows.getString(1),
                rows.getString(2),
                rows.getDouble(3),
                rows.getObject(4, OffsetDateTime.class).toInstant(),
                acked == null ? null : acked.toInstant()));
      }
      return allocations;
    }
  }

  /**
   * In the caller's transaction (which holds the lock): {@code volumeId} now counts on {@code
   * pool}. The row is written as the transaction commits, in the statement of its outgoing messages
   * (one round trip fewer per placement); until then a later read in this transaction sees it here.
   */
  @SuppressWarnings("unchecked")
  public void record(String volumeId, String pool, double sizeGb) {
    Map<String, InFlightAllocation> pending =
        (Map<String, InFlightAllocation>) transactions.getResource(PENDING);
    if (pending == null) {
      Map<String, InFlightAllocation> placed = new LinkedHashMap<>();
      transactions.putResource(PENDING, placed);
      outbox.writeAtCommit(new Outbox.CommitWrite(RECORD, (c, st, i) -> bind(c, st, i, placed)));
      pending = placed;
    }
    // A volume placed twice in one transaction keeps its last placement, one row.
    pending.remove(volumeId);
    forgetAcknowledged(pool, volumeId);
    pending.put(volumeId, new InFlightAllocation(volumeId, pool, sizeGb, Instant.now(), null));
  }

  private static int bind(
      Connection connection,
      PreparedStatement statement,
      int index,
      Map<String, InFlightAllocation> placed)
      throws SQLException {
    int n = placed.size();
    String[] volumes = new String[n];
    String[] pools = new String[n];
    Double[] sizes = new Double[n];
    int i = 0;
    for (InFlightAllocation a : placed.values()) {
      volumes[i] = a.volumeId();
      pools[i] = a.pool();
      sizes[i++] = a.sizeGb();
    }
    statement.setArray(index, connection.createArrayOf("varchar", volumes));
    statement.setArray(index + 1, connection.createArrayOf("varchar", pools));
    statement.setArray(index + 2, connection.createArrayOf("float8", sizes));
    return index + 3;
  }

  /** The rows read, with this transaction's own placements (not written yet) over them. */
  @SuppressWarnings("unchecked")
  private List<InFlightAllocation> withPending(List<InFlightAllocation> read) {
    Map<String, InFlightAllocation> pending =
        (Map<String, InFlightAllocation>) transactions.getResource(PENDING);
    if (pending == null || pending.isEmpty()) {
      return read;
    }
    List<InFlightAllocation> all = new ArrayList<>(read.size() + pending.size());
    for (InFlightAllocation a : read) {
      if (!pending.containsKey(a.volumeId())) {
        all.add(a);
      }
    }
    all.addAll(pending.values());
    return all;
  }

  /**
   * Outside any transaction (every replica does it for every report, for the volumes it has not
   * acknowledged before; the first one wins): the volumes {@code pool}'s report of {@code
   * reportedAt} includes. A failure only leaves the rows counting until a later report or their
   * expiry, which errs on the safe side, so it is logged, not thrown.
   */
  public void acknowledge(String pool, Collection<String> volumeIds, Instant reportedAt) {
    List<String> fresh = notAcknowledged(pool, volumeIds);
    if (fresh.isEmpty()) {
      return;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(ACKNOWLEDGE)) {
      update.setTimestamp(1, Timestamp.from(reportedAt));
      update.setString(2, pool);
      update.setArray(3, connection.createArrayOf("varchar", fresh.toArray()));
      update.executeUpdate();
      remember(pool, fresh);
    } catch (SQLException e) {
      LOG.warnf("pool %s: acknowledging %d placements failed: %s", pool, fresh.size(), e);
    }
  }

  private synchronized List<String> notAcknowledged(String pool, Collection<String> volumeIds) {
    Set<String> done = acknowledged.getOrDefault(pool, new LinkedHashSet<>());
    List<String> fresh = new ArrayList<>();
    for (String id : volumeIds) {
      if (!done.contains(id)) {
        fresh.add(id);
      }
    }
    return fresh;
  }

  private synchronized void remember(String pool, List<String> volumeIds) {
    LinkedHashSet<String> done = acknowledged.computeIfAbsent(pool, p -> new LinkedHashSet<>());
    done.addAll(volumeIds);
    Iterator<String> oldest = done.iterator();
    while (done.size() > REMEMBERED_PER_POOL) {
      oldest.next();
      oldest.remove();
    }
  }

  /** Placed (again) here: the next report that lists it must acknowledge it anew. */
  private synchronized void forgetAcknowledged(String pool, String volumeId) {
    LinkedHashSet<String> done = acknowledged.get(pool);
    if (done != null) {
      done.remove(volumeId);
    }
  }
}
