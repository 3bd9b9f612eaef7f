package io.ember.api.outbound;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.CopyVolumeToImage;
import io.ember.model.contract.CreateSnapshot;
import io.ember.model.contract.DeleteSnapshot;
import io.ember.model.contract.DeleteVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ManageExistingSnapshot;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.RevertVolume;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Commands the API casts to the volume host that holds a volume, through the outbox. */
@ApplicationScoped
public class HostCommands {

  @Inject Outbox outbox;
  @Inject Topics topics;

  /**
   * {@code delete_volume} to the host of the command's pool. Its size only matters when the host
   * holds no record of the volume, its name and metadata always: the host's delete notifications
   * carry them.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void delete(DeleteVolume command, RequestContext caller) {
    send(MessageType.DELETE_VOLUME, command.volumeId(), command.pool(), command, caller);
  }

  /**
   * {@code create_snapshot} to the host of the volume's pool. Keyed by the volume, as every command
   * about it: the host takes them in the order they were sent.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void createSnapshot(CreateSnapshot command, RequestContext caller) {
    send(MessageType.CREATE_SNAPSHOT, command.volumeId(), command.pool(), command, caller);
  }

  /** {@code delete_snapshot} to the host of the volume's pool, keyed by the volume. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void deleteSnapshot(DeleteSnapshot command, RequestContext caller) {
    send(MessageType.DELETE_SNAPSHOT, command.volumeId(), command.pool(), command, caller);
  }

  /** {@code revert_to_snapshot} to the host of the volume's pool, keyed by the volume. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void revert(RevertVolume command, RequestContext caller) {
    send(MessageType.REVERT_VOLUME, command.volumeId(), command.pool(), command, caller);
  }

  /** {@code copy_volume_to_image} to the host of the volume's pool, keyed by the volume. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void copyVolumeToImage(CopyVolumeToImage command, RequestContext caller) {
    send(MessageType.COPY_VOLUME_TO_IMAGE, command.volumeId(), command.pool(), command, caller);
  }

  /** {@code unmanage_volume} (Cinder's delete with {@code unmanage_only}) to the volume's host. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void unmanage(DeleteVolume command, RequestContext caller) {
    send(MessageType.UNMANAGE_VOLUME, command.volumeId(), command.pool(), command, caller);
  }

  /** {@code unmanage_snapshot} to the host of the volume's pool, keyed by the volume. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void unmanageSnapshot(DeleteSnapshot command, RequestContext caller) {
    send(MessageType.UNMANAGE_SNAPSHOT, command.volumeId(), command.pool(), command, caller);
  }

  /** {@code manage_existing_snapshot} to the host of the volume's pool, keyed by the volume. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void manageSnapshot(ManageExistingSnapshot command, RequestContext caller) {
    send(MessageType.MANAGE_EXISTING_SNAPSHOT, command.volumeId(), command.pool(), command, caller);
  }

  private void send(
      MessageType type, String volumeId, String pool, Object command, RequestContext caller) {
    outbox.send(
        topics.volumeHost(HostAddress.parse(pool).backendHost()),
        Envelope.of(type, volumeId, caller, command));
  }
}
