package io.ember.scheduler.outbound;

import io.ember.model.Topics;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.ExtendVolume;
import io.ember.model.contract.GroupCreateFailed;
import io.ember.model.contract.GroupCreated;
import io.ember.model.contract.Json;
import io.ember.model.contract.ManageExisting;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.MigrateVolume;
import io.ember.model.contract.Notification;
import io.ember.model.contract.RetypeVolume;
import io.ember.model.contract.ScheduleExtend;
import io.ember.model.contract.ScheduleRetype;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeExtendFailed;
import io.ember.model.contract.VolumeManageFailed;
import io.ember.model.contract.VolumeMigrateFailed;
import io.ember.model.contract.VolumeRetypeFailed;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.outbox.Outbox;
import io.ember.scheduler.config.SchedulerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the scheduler tells others, written to the outbox in the caller's transaction (the one that
 * records the request in the inbox). Every message is keyed by the volume id and carries the
 * request's context.
 */
@ApplicationScoped
public class SchedulerMessages {

  private final Outbox outbox;
  private final Topics topics;
  private final SchedulerConfig config;

  @Inject
  public SchedulerMessages(Outbox outbox, Topics topics, SchedulerConfig config) {
    this.outbox = outbox;
    this.topics = topics;
    this.config = config;
  }

  /** Cast {@code create_volume} to the volume-service that owns the chosen pool. */
  public void createVolume(Envelope request, CreateVolume command) {
    String volumeId = command.volume().volumeId();
    outbox.send(
        topics.volumeHost(command.pool()),
        Envelope.of(MessageType.CREATE_VOLUME, volumeId, request.context(), command));
  }

  /**
   * No backend can take the volume: tell the API (which sets {@code error} and writes the user
   * message) and emit Cinder's {@code scheduler.create_volume} ERROR notification.
   */
  public void createFailed(Envelope request, VolumeSpec volume, String reason) {
    String volumeId = volume.volumeId();
    outbox.send(
        topics.volumeEvents(),
        Envelope.of(
            MessageType.VOLUME_CREATE_FAILED,
            volumeId,
            request.context(),
            new VolumeCreateFailed(volumeId, null, reason)));
    notifyError(request, volume, "create_volume", reason);
  }

  /** The group is placed: the API records its pool and makes it {@code available}. */
  public void groupCreated(Envelope request, GroupCreated event) {
    outbox.send(
        topics.volumeEvents(),
        Envelope.of(MessageType.GROUP_CREATED, event.groupId(), request.context(), event));
  }

  /** No pool suits the group: the API sets it to {@code error}. */
  public void groupCreateFailed(Envelope request, GroupCreateFailed event) {
    outbox.send(
        topics.volumeEvents(),
        Envelope.of(MessageType.GROUP_CREATE_FAILED, event.groupId(), request.context(), event));
  }

  /**
   * Cinder's {@code scheduler.<method>} ERROR notification ({@code _set_volume_state_and_notify}).
   */
  private void notifyError(Envelope request, VolumeSpec volume, String method, String reason) {
    notifyError(request, volume.volumeId(), method, "error", reason, volume);
  }

  /**
   * The notification with the volume's {@code state} as the scheduler left it and {@code
   * requestSpec} as the request described it.
   */
  private void notifyError(
      Envelope request,
      String volumeId,
      String method,
      Object state,
      String reason,
      Object requestSpec) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("volume_id", volumeId);
    payload.put("state", state);
    payload.put("method", method);
    payload.put("reason", reason);
    payload.put("request_spec", Json.MAPPER.convertValue(requestSpec, Map.class));
    Notification notification =
        Notification.error("scheduler." + host(), "scheduler." + method, payload);
    outbox.send(
        topics.notifications(),
        Envelope.of(MessageType.NOTIFICATION, volumeId, request.context(), notification));
  }

  /** Cast {@code migrate_volume} to {@code sourceHost}, the host that holds the volume now. */
  public void migrateVolume(Envelope request, String sourceHost, MigrateVolume command) {
    outbox.send(
        topics.volumeHost(sourceHost),
        Envelope.of(MessageType.MIGRATE_VOLUME, command.volumeId(), request.context(), command));
  }

  /**
   * The destination cannot take the volume: the API ends the migration in {@code error}, and
   * Cinder's {@code scheduler.migrate_volume_to_host} ERROR notification says why.
   */
  public void migrateFailed(Envelope request, VolumeSpec volume, String reason) {
    String volumeId = volume.volumeId();
    outbox.send(
        topics.volumeEvents(),
        Envelope.of(
            MessageType.VOLUME_MIGRATE_FAILED,
            volumeId,
            request.context(),
            new VolumeMigrateFailed(volumeId, reason)));
    notifyError(request, volume, "migrate_volume_to_host", reason);
  }

  private String host() {
    return host(config);
  }

  /** Cinder's {@code host} of this scheduler: the configured one, else the machine's name. */
  static String host(SchedulerConfig config) {
    return config.host().orElseGet(SchedulerMessages::localHostName);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** Cast {@code retype} to the volume-service of {@code backendHost}, the volume's own. */
  public void retypeVolume(Envelope request, String backendHost, RetypeVolume command) {
    outbox.send(
        topics.volumeHost(backendHost),
        Envelope.of(MessageType.RETYPE_VOLUME, command.volumeId(), request.context(), command));
  }

  /**
   * The volume cannot take the new type: tell the API (which puts the volume back to its previous
   * status) and emit Cinder's {@code scheduler.retype} ERROR notification.
   */
  public void retypeFailed(Envelope request, ScheduleRetype retype, String reason) {
    VolumeSpec volume = retype.volume();
    String volumeId = volume.volumeId();
    outbox.send(
        topics.volumeEvents(),
        Envelope.of(
            MessageType.VOLUME_RETYPE_FAILED,
            volumeId,
            request.context(),
            new VolumeRetypeFailed(volumeId, volume.volumeTypeId(), reason, true)));
    notifyError(
        request,
        volumeId,
        "retype",
        Map.of("status", String.valueOf(retype.previousStatus())),
        reason,
        retype);
  }

  /** Cast {@code extend_volume} to the volume-service of {@code backendHost}, the volume's own. */
  public void extendVolume(Envelope request, String backendHost, ExtendVolume command) {
    outbox.send(
        topics.volumeHost(backendHost),
        Envelope.of(MessageType.EXTEND_VOLUME, command.volumeId(), request.context(), command));
  }

  /**
   * The volume's pool has no room for the new size: tell the API (which gives the charged size back
   * and puts the volume back to its previous status) and emit Cinder's {@code
   * scheduler.extend_volume} ERROR notification.
   */
  public void extendFailed(Envelope request, ScheduleExtend extend, String reason) {
    VolumeSpec volume = extend.volume();
    String volumeId = volume.volumeId();
    outbox.send(
        topics.volumeEvents(),
        Envelope.of(
            MessageType.VOLUME_EXTEND_FAILED,
            volumeId,
            request.context(),
            new VolumeExtendFailed(volumeId, volume.size(), extend.newSize(), reason, true)));
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("status", String.valueOf(extend.previousStatus()));
    state.put("previous_status", null);
    notifyError(request, volumeId, "extend_volume", state, reason, extend);
  }

  /** Cast {@code manage_existing} to the volume-service of {@code backendHost}. */
  public void manageExisting(Envelope request, String backendHost, ManageExisting command) {
    String volumeId = command.volume().volumeId();
    outbox.send(
        topics.volumeHost(backendHost),
        Envelope.of(MessageType.MANAGE_EXISTING, volumeId, request.context(), command));
  }

  /**
   * The named host cannot take the volume (unknown, down, or refused by the filters): the API sets
   * {@code error_managing}, and Cinder's {@code scheduler.manage_existing} ERROR notification says
   * why.
   */
  public void manageFailed(Envelope request, ManageExisting manage, String reason) {
    VolumeSpec volume = manage.volume();
    String volumeId = volume.volumeId();
    outbox.send(
        topics.volumeEvents(),
        Envelope.of(
            MessageType.VOLUME_MANAGE_FAILED,
            volumeId,
            request.context(),
            new VolumeManageFailed(volumeId, null, reason)));
    notifyError(
        request,
        volumeId,
        "manage_existing",
        Map.of("status", VolumeStatus.ERROR_MANAGING.wire()),
        reason,
        manage);
  }
}
