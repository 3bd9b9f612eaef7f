package io.ember.scheduler.flow;

import io.ember.model.HostAddress;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ExtendVolume;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleExtend;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import io.ember.model.jdbc.TransactionOutcome;
import io.ember.scheduler.capability.AllocationLedger;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.filter.FilterProperties;
import io.ember.scheduler.outbound.SchedulerMessages;
import io.ember.scheduler.placement.FilterScheduler;
import io.ember.scheduler.placement.NoValidBackendException;
import io.ember.scheduler.placement.Placement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

/**
 * The scheduler's part of an extend (Cinder's scheduler manager {@code extend_volume}): does the
 * volume's own pool pass the filters for the size the extend adds? If so, that size is counted on
 * the pool and {@code extend_volume} goes to its host; if not, the API is told (the charged size is
 * given back and the volume goes back to its previous status, not to {@code error_extending}) with
 * Cinder's {@code scheduler.extend_volume} ERROR notification.
 */
@ApplicationScoped
public class ExtendVolumeFlow {

  public static final String FLOW_NAME = "volume:extend_scheduler";

  private static final Logger LOG = Logger.getLogger(ExtendVolumeFlow.class);

  private final LinearFlow<ExtendVolumeContext> flow;

  @Inject
  public ExtendVolumeFlow(
      FilterScheduler scheduler,
      PoolRegistry registry,
      AllocationLedger ledger,
      SchedulerMessages messages,
      TransactionSynchronizationRegistry transactions) {
    this.flow =
        LinearFlow.of(
            FLOW_NAME,
            new NotifyExtendFailureTask(messages),
            new BackendPassesFiltersTask(scheduler, registry, ledger, transactions),
            new CastExtendTask(messages));
  }

  /**
   * Runs the flow for one {@code schedule_extend} request, in the caller's transaction. No valid
   * backend is an outcome: the API has been told and the transaction may commit.
   */
  public void run(Envelope request) {
    Placements.run(flow, new ExtendVolumeContext(request));
  }

  /** First, so that its revert sees every failure after it: the API and listeners are told. */
  static final class NotifyExtendFailureTask implements Task<ExtendVolumeContext> {

    private final SchedulerMessages messages;

    NotifyExtendFailureTask(SchedulerMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(ExtendVolumeContext context) {}

    @Override
    public void revert(ExtendVolumeContext context, Throwable cause) {
      if (cause instanceof NoValidBackendException) {
        messages.extendFailed(context.request(), context.extend(), cause.getMessage());
      }
    }
  }

  /**
   * Cinder's {@code backend_passes_filters} with {@code new_size}: the volume's pool must have room
   * for the added size; that size is then counted on it, and given back if the transaction rolls
   * back (the cast then never went out; any failure after this task rolls it back). As a create's
   * placement, it is decided under the shared placement lock over every replica's placements and
   * recorded with them, so that two schedulers cannot both grow volumes into the same free space.
   */
  static final class BackendPassesFiltersTask implements Task<ExtendVolumeContext> {

    private final FilterScheduler scheduler;
    private final PoolRegistry registry;
    private final AllocationLedger ledger;
    private final TransactionSynchronizationRegistry transactions;

    BackendPassesFiltersTask(
        FilterScheduler scheduler,
        PoolRegistry registry,
        AllocationLedger ledger,
        TransactionSynchronizationRegistry transactions) {
      this.scheduler = scheduler;
      this.registry = registry;
      this.ledger = ledger;
      this.transactions = transactions;
    }

    @Override
    public void execute(ExtendVolumeContext context) {
      ScheduleExtend extend = context.extend();
      String volumeId = extend.volume().volumeId();
      String key = CapabilityReport.extendKey(volumeId, extend.newSize());
      // Under the placement lock until this transaction ends: every replica's placements count.
      registry.syncInFlight(ledger.lockAndRead(registry.oldestReportHeld()));
      try {
        Placement placement =
            scheduler.extendOn(
                new FilterProperties(added(extend.volume(), context.addedGb()), Retry.first()),
                extend.pool(),
                key);
        context.setPlacement(placement);
        ledger.record(key, placement.pool().name(), context.addedGb());
        TransactionOutcome.afterRollback(
            transactions, () -> registry.release(placement.pool().name(), key));
      } catch (NoValidBackendException e) {
        LOG.warnf(
            "volume %s: extend to %s GB refused on %s: %s%s",
            volumeId,
            extend.newSize(),
            extend.pool(),
            e.getMessage(),
            e.trail().isEmpty() ? "" : " [" + e.trail() + "]");
        throw e;
      }
    }

    /** The volume as a request for {@code addedGb}, what the capacity filter weighs. */
    private static VolumeSpec added(VolumeSpec volume, int addedGb) {
      return new VolumeSpec(
          volume.volumeId(),
          volume.projectId(),
          volume.userId(),
          addedGb,
          volume.name(),
          volume.availabilityZone(),
          volume.volumeTypeId(),
          volume.extraSpecs(),
          volume.metadata(),
          volume.createdAt(),
          volume.qosSpecs());
    }
  }

  /** Casts {@code extend_volume} to the volume's host, through the outbox. */
  static final class CastExtendTask implements Task<ExtendVolumeContext> {

    private final SchedulerMessages messages;

    CastExtendTask(SchedulerMessages messages) {
      this.messages = messages;
    }

    @Override
    public void execute(ExtendVolumeContext context) {
      ScheduleExtend extend = context.extend();
      VolumeSpec volume = extend.volume();
      messages.extendVolume(
          context.request(),
          HostAddress.parse(extend.pool()).backendHost(),
          new ExtendVolume(
              volume.volumeId(),
              volume.projectId(),
              extend.pool(),
              volume.size(),
              extend.newSize()));
      LOG.infof(
          "volume %s: extend from %s to %s GB on %s (%s)",
          volume.volumeId(),
          volume.size(),
          extend.newSize(),
          extend.pool(),
          context.placement().trail());
    }
  }
}
