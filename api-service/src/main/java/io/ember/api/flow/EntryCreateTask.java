package io.ember.api.flow;

import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeRows;
import io.ember.model.VolumeStatus;
import io.ember.model.flow.Task;
import io.ember.model.outbox.Outbox;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes the volume entry in {@code creating}, as the transaction commits (in the statement of its
 * outgoing messages, one round trip less per create).
 */
public class EntryCreateTask implements Task<CreateVolumeContext> {

  private final VolumeRows rows;
  private Outbox.CommitWrite insert;

  public EntryCreateTask(VolumeRows rows) {
    this.rows = rows;
  }

  @Override
  public void execute(CreateVolumeContext context) {
    Volume volume = new Volume();
    volume.id = UUID.randomUUID();
    volume.projectId = context.caller.projectId();
    volume.userId = context.caller.userId();
    volume.name = context.name;
    volume.description = context.description;
    volume.size = context.size;
    volume.status = VolumeStatus.CREATING.wire();
    volume.attachStatus = "detached";
    volume.availabilityZone = context.availabilityZone;
    volume.metadata = context.metadata;
    volume.volumeTypeId = context.type == null ? null : context.type.id();
    volume.groupId = context.groupId;
    volume.snapshotId = context.snapshotId;
    volume.sourceVolid = context.sourceVolid;
    volume.imageId = context.imageId;
    volume.bootable = context.bootable;
    volume.encryptionKeyId = context.encryptionKeyId;
    volume.requestId = context.caller.requestId();
    volume.createdAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    insert = rows.insertAtCommit(volume);
    context.volume = volume;
  }

  @Override
  public void revert(CreateVolumeContext context, Throwable cause) {
    if (insert != null) {
      rows.withdraw(insert);
      insert = null;
    }
  }
}
