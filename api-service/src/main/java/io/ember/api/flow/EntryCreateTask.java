package io.ember.api.flow;

import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeRows;
import io.ember.model.VolumeStatus;
import io.ember.model.flow.Task;
import io.ember.model.outbox.Outbox;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes the volume entry in {@code creating}, as the transaction commits (in the statement of its
 * outgoing messages, one round trip less per create).
 */
public class EntryCreateTask implements Task<CreateVolumeRequest> {

  private final VolumeRows rows;
  private Outbox.CommitWrite insert;

  public EntryCreateTask(VolumeRows rows) {
    this.rows = rows;
  }

  @Override
  public void execute(CreateVolumeRequest request) {
    Volume volume = new Volume();
    volume.id = UUID.randomUUID();
    volume.projectId = request.caller.projectId();
    volume.userId = request.caller.userId();
    volume.name = request.name;
    volume.description = request.description;
    volume.size = request.size;
    volume.status = VolumeStatus.CREATING.wire();
    volume.attachStatus = "detached";
    volume.availabilityZone = request.availabilityZone;
    volume.metadata = request.metadata;
    volume.requestId = request.caller.requestId();
    volume.createdAt = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    insert = rows.insertAtCommit(volume);
    request.volume = volume;
  }

  @Override
  public void revert(CreateVolumeRequest request, Throwable cause) {
    if (insert != null) {
      rows.withdraw(insert);
      insert = null;
    }
  }
}
