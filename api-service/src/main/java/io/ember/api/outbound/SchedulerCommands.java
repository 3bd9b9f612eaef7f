package io.ember.api.outbound;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ManageExisting;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.MigrateVolumeToHost;
import io.ember.model.contract.Retry;
import io.ember.model.contract.ScheduleExtend;
import io.ember.model.contract.ScheduleGroup;
import io.ember.model.contract.ScheduleRetype;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Commands the API casts to the scheduler, through the outbox (Cinder's scheduler rpcapi). */
@ApplicationScoped
public class SchedulerCommands {

  @Inject Outbox outbox;
  @Inject Topics topics;

  /** {@code schedule_volume} of a new volume: its first placement attempt. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void scheduleVolume(VolumeSpec spec, RequestContext caller) {
    outbox.send(
        topics.schedulerRequests(),
        Envelope.of(
            MessageType.SCHEDULE_VOLUME,
            spec.volumeId(),
            caller,
            new ScheduleVolume(spec, Retry.first())));
  }

  /** {@code schedule_group}: place a new group. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void scheduleGroup(ScheduleGroup request, RequestContext caller) {
    outbox.send(
        topics.schedulerRequests(),
        Envelope.of(MessageType.SCHEDULE_GROUP, request.groupId(), caller, request));
  }

  /**
   * {@code migrate_volume_to_host}: check the destination and pass the move to the volume's host.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void migrateVolumeToHost(MigrateVolumeToHost request, RequestContext caller) {
    outbox.send(
        topics.schedulerRequests(),
        Envelope.of(
            MessageType.MIGRATE_VOLUME_TO_HOST, request.volume().volumeId(), caller, request));
  }

  /** {@code extend_volume}: may the volume's pool hold it at its new size? */
  @Transactional(Transactional.TxType.MANDATORY)
  public void scheduleExtend(ScheduleExtend request, RequestContext caller) {
    outbox.send(
        topics.schedulerRequests(),
        Envelope.of(MessageType.SCHEDULE_EXTEND, request.volume().volumeId(), caller, request));
  }

  /** {@code retype}: may the volume's backend hold it as of its new type? */
  @Transactional(Transactional.TxType.MANDATORY)
  public void scheduleRetype(ScheduleRetype request, RequestContext caller) {
    outbox.send(
        topics.schedulerRequests(),
        Envelope.of(MessageType.SCHEDULE_RETYPE, request.volume().volumeId(), caller, request));
  }

  /** {@code manage_existing} to the scheduler, which checks the named host and passes it on. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void manageExisting(ManageExisting request, RequestContext caller) {
    outbox.send(
        topics.schedulerRequests(),
        Envelope.of(
            MessageType.SCHEDULE_MANAGE_EXISTING, request.volume().volumeId(), caller, request));
  }
}
