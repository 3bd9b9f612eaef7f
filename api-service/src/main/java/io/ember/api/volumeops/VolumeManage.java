package io.ember.api.volumeops;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.flow.ManageExistingFlow;
import io.ember.api.microversion.ApiVersion;
import io.ember.api.quota.QuotaLedger;
import io.ember.api.quota.QuotaService;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.VolumeManageFailed;
import io.ember.model.contract.VolumeManaged;
import io.ember.model.flow.FlowFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Manage and unmanage of volumes (Cinder's {@code volume_manage} / {@code volume_unmanage}, admin
 * only by default): the request side, and the host's results ({@code volume.managed}, {@code
 * volume.manage_failed}).
 */
@ApplicationScoped
public class VolumeManage {

  private static final Logger LOG = Logger.getLogger(VolumeManage.class);

  static final String MANAGE_POLICY = "volume_extension:volume_manage";
  static final String UNMANAGE_POLICY = "volume_extension:volume_unmanage";

  @Inject ManageExistingFlow manageFlow;
  @Inject VolumeService volumes;
  @Inject QuotaService quotas;

  /** {@code POST /manageable_volumes} (and {@code /os-volume-manage}): 202 with the new entry. */
  @Transactional
  public Volume manage(JsonNode body, RequestContext caller, ApiVersion version) {
    AdminPolicy.requireRule(caller, MANAGE_POLICY);
    try {
      return manageFlow.run(new ManageExistingFlow.Context(body, caller, version));
    } catch (FlowFailedException refused) {
      if (refused.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw refused;
    }
  }

  /** {@code os-unmanage}: as a delete, the bytes kept on the backend. */
  @Transactional
  public void unmanage(String id, RequestContext caller) {
    Volume volume = volumes.lockedForChange(id, caller);
    AdminPolicy.requireRule(caller, UNMANAGE_POLICY);
    volumes.startUnmanage(volume, caller);
  }

  /**
   * The host adopted the object: available at its size, whose gigabytes are charged now without a
   * limit check (the bytes are on the backend already; the volume itself was charged at the
   * request). A result after the deadline still applies: the host holds the volume.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void managed(VolumeManaged event) {
    Volume volume = find(event.volumeId());
    if (volume == null || !managing(volume)) {
      LOG.infof(
          "volume %s managed event ignored (%s)",
          event.volumeId(), volume == null ? "gone" : volume.status);
      return;
    }
    QuotaLedger quota = quotas.open(volume.projectId);
    quota.charge(volumes.extendDeltas(volume, event.size()));
    quotas.close(quota);
    volume.size = event.size();
    volume.status = VolumeStatus.AVAILABLE.wire();
    volume.host = event.pool();
    volume.providerLocation = event.providerLocation();
    volume.statusReason = null;
    volume.launchedAt = VolumeClock.now();
    volume.updatedAt = VolumeClock.now();
    Volume.flush();
    LOG.infof("volume %s managed on %s, %s GB", volume.id, volume.host, volume.size);
  }

  /** The object was not adopted: {@code error_managing} (shown as {@code error}). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void manageFailed(VolumeManageFailed event) {
    Volume volume = find(event.volumeId());
    if (volume == null || !VolumeStatus.MANAGING.wire().equals(volume.status)) {
      LOG.infof(
          "volume %s manage_failed ignored (%s)",
          event.volumeId(), volume == null ? "gone" : volume.status);
      return;
    }
    volume.status = VolumeStatus.ERROR_MANAGING.wire();
    volume.statusReason = truncate(event.reason());
    volume.updatedAt = VolumeClock.now();
    Volume.flush();
    LOG.infof("volume %s error_managing: %s", volume.id, event.reason());
  }

  /** {@code managing}, or timed out of it by the sweeper: a result still counts. */
  private static boolean managing(Volume volume) {
    return VolumeStatus.MANAGING.wire().equals(volume.status)
        || (VolumeStatus.ERROR_MANAGING.wire().equals(volume.status)
            && io.ember.api.housekeeping.DeadlineSweeper.timedOut(volume.statusReason, "manage"));
  }

  private static Volume find(String id) {
    java.util.UUID uuid = Volume.parseId(id);
    return uuid == null ? null : Volume.findById(uuid);
  }

  private static String truncate(String reason) {
    return reason == null || reason.length() <= 1024 ? reason : reason.substring(0, 1024);
  }
}
