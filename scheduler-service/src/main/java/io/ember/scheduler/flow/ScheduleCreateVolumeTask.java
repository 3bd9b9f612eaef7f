package io.ember.scheduler.flow;

import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.Retry;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.flow.Task;
import io.ember.model.jdbc.TransactionOutcome;
import io.ember.scheduler.capability.AllocationLedger;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.filter.FilterProperties;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.FilterScheduler;
import io.ember.scheduler.placement.NoValidBackendException;
import io.ember.scheduler.placement.Placement;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Places the volume and casts {@code create_volume} to the chosen host, through the outbox in the
 * inbox transaction. When no backend fits it throws {@link NoValidBackendException}; {@link
 * NotifySchedulerFailureTask}'s revert then fails the volume.
 */
public final class ScheduleCreateVolumeTask implements Task<CreateVolumeContext> {

  private static final Logger LOG = Logger.getLogger(ScheduleCreateVolumeTask.class);

  private final FilterScheduler scheduler;
  private final PoolRegistry registry;
  private final AllocationLedger ledger;
  private final SchedulerMessages messages;
  private final TransactionSynchronizationRegistry transactions;

  public ScheduleCreateVolumeTask(
      FilterScheduler scheduler,
      PoolRegistry registry,
      AllocationLedger ledger,
      SchedulerMessages messages,
      TransactionSynchronizationRegistry transactions) {
    this.scheduler = scheduler;
    this.registry = registry;
    this.ledger = ledger;
    this.messages = messages;
    this.transactions = transactions;
  }

  /**
   * @throws NoValidBackendException when attempts are exhausted or no pool fits
   */
  @Override
  public void execute(CreateVolumeContext context) {
    VolumeSpec volume = context.volume();
    Retry retry = context.retry().nextAttempt();
    int maxAttempts = scheduler.maxAttempts();
    if (retry.lastError() != null) {
      LOG.infof(
          "volume %s: rescheduling after failure on %s: %s",
          volume.volumeId(), retry.triedHosts(), retry.lastError());
    }
    Placement placement;
    // Under the placement lock until this transaction ends: every replica's placements count.
    registry.syncInFlight(ledger.lockAndRead(registry.oldestReportHeld()));
    try {
      placement = scheduler.schedule(new FilterProperties(volume, retry));
    } catch (NoValidBackendException e) {
      // Logged here, where the trail is; NotifySchedulerFailureTask's revert fails the volume.
      LOG.warnf(
          "volume %s (%d GB): %s%s",
          volume.volumeId(),
          volume.size(),
          e.getMessage(),
          e.trail().isEmpty() ? "" : " [" + e.trail() + "]");
      throw e;
    }
    String pool = placement.pool().name();
    ledger.record(volume.volumeId(), pool, volume.size());
    giveBackIfRolledBack(pool, volume.volumeId());
    messages.createVolume(
        context.request(),
        new CreateVolume(
            volume,
            pool,
            tried(retry, placement.pool().backendHost()),
            retry.attempts() < maxAttempts));
    // %s, not %d or %.3f: those clone the locale's number symbols for every line.
    LOG.infof(
        "volume %s (%s GB) scheduled to %s, attempt %s of %s, weight %s [%s]",
        volume.volumeId(),
        volume.size(),
        pool,
        retry.attempts(),
        maxAttempts,
        threeDecimals(placement.weight()),
        placement.trail());
  }

  private static String threeDecimals(double value) {
    return Double.isFinite(value)
        ? BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).toPlainString()
        : String.valueOf(value);
  }

  /** As Cinder's {@code retry['backends']}: the chosen host counts as tried from now on. */
  private static Retry tried(Retry retry, String host) {
    List<String> hosts = new ArrayList<>(retry.triedHosts());
    if (!hosts.contains(host)) {
      hosts.add(host);
    }
    return new Retry(retry.attempts(), hosts, retry.lastError());
  }

  /**
   * The capacity was taken in memory before the transaction commits; if it rolls back (the message
   * is then redelivered or dead-lettered), the placement never happened.
   */
  private void giveBackIfRolledBack(String pool, String volumeId) {
    TransactionOutcome.afterRollback(transactions, () -> registry.release(pool, volumeId));
  }
}
