package io.ember.volume.outbound;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.contract.ScheduleVolume;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDeleteFailed;
import io.ember.model.contract.VolumeDeleted;
import io.ember.model.contract.VolumeUsage;
import io.ember.model.outbox.Outbox;
import io.ember.volume.config.VolumeHostConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Everything this host tells the others about a volume, written to the {@link Outbox} so it leaves
 * only if the caller's transaction commits. Every message is keyed by the volume id.
 */
@Singleton
public class HostMessages {

  private final Outbox outbox;
  private final Topics topics;
  private final String publisherId;

  @Inject
  HostMessages(Outbox outbox, Topics topics, VolumeHostConfig config) {
    this(outbox, topics, config.host());
  }

  /** For tests: the messages {@code host} would send, to {@code outbox}. */
  public HostMessages(Outbox outbox, Topics topics, String host) {
    this.outbox = outbox;
    this.topics = topics;
    this.publisherId = "volume." + host;
  }

  public void volumeCreated(RequestContext context, VolumeCreated event) {
    send(topics.volumeEvents(), MessageType.VOLUME_CREATED, event.volumeId(), context, event);
  }

  public void volumeCreateFailed(RequestContext context, VolumeCreateFailed event) {
    send(topics.volumeEvents(), MessageType.VOLUME_CREATE_FAILED, event.volumeId(), context, event);
  }

  public void volumeDeleted(RequestContext context, VolumeDeleted event) {
    send(topics.volumeEvents(), MessageType.VOLUME_DELETED, event.volumeId(), context, event);
  }

  public void volumeDeleteFailed(RequestContext context, VolumeDeleteFailed event) {
    send(topics.volumeEvents(), MessageType.VOLUME_DELETE_FAILED, event.volumeId(), context, event);
  }

  /** Sends the volume back to the scheduler for another backend. */
  public void reschedule(RequestContext context, ScheduleVolume request) {
    send(
        topics.schedulerRequests(),
        MessageType.SCHEDULE_VOLUME,
        request.volume().volumeId(),
        context,
        request);
  }

  /** A Cinder-style INFO notification, e.g. {@code volume.create.start}. */
  public void notify(RequestContext context, String eventType, VolumeUsage usage) {
    send(
        topics.notifications(),
        MessageType.NOTIFICATION,
        usage.volumeId(),
        context,
        Notification.info(publisherId, eventType, usage));
  }

  private void send(
      String topic, MessageType type, String key, RequestContext context, Object payload) {
    outbox.send(topic, Envelope.of(type, key, context, payload));
  }
}
