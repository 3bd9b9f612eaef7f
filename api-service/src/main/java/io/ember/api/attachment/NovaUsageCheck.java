package io.ember.api.attachment;

import io.ember.api.fault.CinderFault;
import io.ember.api.outbound.ComputeApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Cinder's {@code attachment_deletion_allowed} (bug 2004555, CVE-2023-2088): a user may not end an
 * attachment that an instance still uses, because the volume would stay connected to the compute
 * host, where the next volume attached there could be shown the old one's data. Only a service
 * (Nova, with its service token) may; a user's request is checked with Nova first.
 */
@ApplicationScoped
public class NovaUsageCheck {

  private static final Logger LOG = Logger.getLogger(NovaUsageCheck.class);

  /** Who asks to end an attachment. */
  public record Requester(boolean service, String token) {
    /** Ember itself (a migration moving attachments, as Cinder's volume manager does). */
    public static final Requester INTERNAL = new Requester(true, null);
  }

  @Inject ComputeApi compute;

  /**
   * Refuses, with Cinder's answers, the end of {@code attachmentId} (or, when null, of the volume's
   * only attachment) unless a service asks, the attachment has no instance or no connection, or
   * Nova does not use it. Runs outside any transaction: Nova may take seconds to answer.
   *
   * @param volumeAttachments reads the volume's attachments; only a user's request needs them
   */
  public void allow(
      Requester who,
      UUID volumeId,
      UUID attachmentId,
      Supplier<List<Attachment>> volumeAttachments) {
    if (who.service()) {
      return;
    }
    List<Attachment> attachments = volumeAttachments.get();
    Attachment attachment = null;
    if (attachmentId == null) {
      if (attachments.isEmpty()) {
        return;
      }
      if (attachments.size() == 1) {
        attachment = attachments.get(0);
      }
    } else {
      attachment =
          attachments.stream().filter(a -> a.id.equals(attachmentId)).findFirst().orElse(null);
    }
    String serverId = "";
    if (attachment != null) {
      if (!attachment.volumeId.equals(volumeId)) {
        throw CinderFault.invalidInput("Mismatched volume and attachment");
      }
      serverId = attachment.instanceUuid;
      if (serverId == null || attachment.connectionInfo == null) {
        return;
      }
      LOG.infof(
          "attachment %s of volume %s is connected to instance %s: asking Nova",
          attachment.id, volumeId, serverId);
      Optional<String> used;
      try {
        used = compute.attachmentOfServerVolume(serverId, volumeId.toString(), who.token());
      } catch (ComputeApi.Unreachable e) {
        LOG.warnf(
            "attachment %s: Nova could not be asked (%s); refused", attachment.id, e.getMessage());
        throw new CinderFault(
            500,
            "The server has either erred or is incapable of performing the requested operation.");
      }
      if (used.isEmpty()) {
        LOG.warnf(
            "attachment %s: Nova knows no volume %s on instance %s; ended here, which may leave"
                + " a device behind on the compute host",
            attachment.id, volumeId, serverId);
        return;
      }
      if (!used.get().equals(attachment.id.toString())) {
        LOG.warnf(
            "attachment %s: Nova holds attachment %s for the volume; ended here, which may leave"
                + " a device behind on the compute host",
            attachment.id, used.get());
        return;
      }
    }
    LOG.warnf(
        "a user asked to end an attachment of volume %s that instance %s uses: refused (only Nova,"
            + " with a service token, may)",
        volumeId, serverId);
    throw new CinderFault(
        409, "Detach volume from instance " + serverId + " using the Compute API");
  }
}
