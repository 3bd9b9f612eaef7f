package io.ember.api.attachment;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.flow.AttachmentConnectFlow;
import io.ember.api.flow.AttachmentDetachFlow;
import io.ember.api.flow.LegacyAttachFlow;
import io.ember.api.flow.LegacyConnectionFlow;
import io.ember.api.outbound.VolumeNotifications;
import io.ember.api.paging.QueryParams;
import io.ember.api.view.AttachmentView;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.Json;
import io.ember.model.contract.MessageType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Cinder's attachments API (3.27+) and the legacy attach actions of {@code POST
 * /volumes/{id}/action}. What needs the volume's host goes through a {@code *Flow} of request-reply
 * calls and answers as a {@link Uni} (no request thread held while the host works); the rest is a
 * status change in one transaction.
 */
@ApplicationScoped
public class AttachmentService {

  private static final Logger LOG = Logger.getLogger(AttachmentService.class);
  private static final Set<String> MODES = Set.of("rw", "ro");

  @Inject AttachmentStates states;
  @Inject AttachmentConnectFlow connectFlow;
  @Inject AttachmentDetachFlow detachFlow;
  @Inject LegacyAttachFlow attachFlow;
  @Inject LegacyConnectionFlow connectionFlow;
  @Inject VolumeNotifications notifications;
  @Inject NovaUsageCheck novaUsage;

  // ---- the attachments API ------------------------------------------------------------------

  /**
   * {@code POST /attachments}: a reserved attachment; with a connector also its connection, in one
   * flow (undone whole if the host does not answer). The answer shows the attachment as reserved,
   * as Cinder's does.
   */
  public Uni<Map<String, Object>> create(
      JsonNode body, RequestContext caller, boolean modeAllowed) {
    JsonNode attachment = body == null ? null : body.get("attachment");
    if (attachment == null || !attachment.isObject()) {
      throw CinderFault.badRequest("'attachment' is a required property");
    }
    JsonNode volumeNode = attachment.get("volume_uuid");
    if (volumeNode == null) {
      throw CinderFault.badRequest(
          "Invalid input for field/attribute attachment. Value: "
              + Echo.cap(attachment.toString())
              + ". 'volume_uuid' is a required property");
    }
    UUID volumeId = Volume.parseId(volumeNode.asText());
    if (volumeId == null) {
      throw VolumeFields.invalidField(
          "volume_uuid", volumeNode, "'" + Echo.cap(volumeNode.asText()) + "' is not a 'uuid'");
    }
    AttachmentCall call = new AttachmentCall(caller, volumeId, null);
    call.instanceUuid = text(attachment, "instance_uuid");
    call.connector = connector(attachment.get("connector"), false);
    if (call.connector != null && call.connector.isEmpty()) {
      // cinderclient's attachment-create sends "connector": {} for none; Cinder tests it for truth.
      call.connector = null;
    }
    if (modeAllowed && attachment.has("mode") && !"null".equals(text(attachment, "mode"))) {
      // cinderclient sends "null" for "as the volume's read-only flag says".
      String mode = text(attachment, "mode");
      if (!MODES.contains(mode)) {
        throw VolumeFields.invalidField(
            "mode", attachment.get("mode"), "'" + Echo.cap(mode) + "' is not one of ['rw', 'ro']");
      }
      call.mode = mode;
    }
    QuarkusTransaction.requiringNew().run(() -> visibleVolume(volumeId, caller));
    if (call.connector == null) {
      Attachment made = QuarkusTransaction.requiringNew().call(() -> reserveOnly(call));
      return Uni.createFrom().item(AttachmentView.detail(made));
    }
    String askedMode = call.mode;
    return connectFlow
        .build(true)
        .run(call)
        .map(
            done -> {
              Attachment shown = done.before;
              shown.attachMode = askedMode;
              shown.connectionInfo = connectionShown(done);
              LOG.infof(
                  "attachment %s of volume %s created, connected", done.attachmentId, volumeId);
              return AttachmentView.detail(shown);
            });
  }

  private Attachment reserveOnly(AttachmentCall call) {
    Volume volume = states.lockedVolume(call.volumeId);
    if (volume == null) {
      throw CinderFault.volumeNotFound(call.volumeId);
    }
    Attachment made = states.reserve(call, volume);
    LOG.infof("attachment %s of volume %s reserved", made.id, volume.id);
    return made;
  }

  /** {@code PUT /attachments/{id}}: the connection for a connector, from the volume's host. */
  public Uni<Map<String, Object>> update(String id, JsonNode body, RequestContext caller) {
    JsonNode attachment = body == null ? null : body.get("attachment");
    if (attachment == null || !attachment.isObject()) {
      throw CinderFault.badRequest("'attachment' is a required property");
    }
    Map<String, Object> connector = connector(attachment.get("connector"), true);
    UUID attachmentId = Volume.parseId(id);
    Attachment found = QuarkusTransaction.requiringNew().call(() -> find(attachmentId, caller));
    AttachmentCall call = new AttachmentCall(caller, found.volumeId, attachmentId);
    call.connector = connector;
    call.mode = found.attachMode;
    return connectFlow
        .build(false)
        .run(call)
        .map(
            done -> {
              Attachment shown = done.before;
              shown.connectionInfo = connectionShown(done);
              LOG.infof("attachment %s of volume %s connected", attachmentId, done.volumeId);
              return AttachmentView.detail(shown);
            });
  }

  /** {@code os-complete} (3.44): attachment attached, volume in-use. */
  @Transactional
  public void complete(String id, RequestContext caller) {
    Attachment attachment = states.locked(Volume.parseId(id), caller.projectId(), caller.isAdmin());
    if (attachment.previousStatus != null
        || !(Attachment.RESERVED.equals(attachment.attachStatus) || attachment.connected())) {
      throw CinderFault.invalidVolume(
          "Attachment "
              + attachment.id
              + " status must be reserved, attaching or attached to complete, but it is "
              + attachment.attachStatus
              + ".");
    }
    Volume volume = states.attached(attachment);
    notifications.usage(caller, volume, "volume.attach.end");
    LOG.infof("attachment %s of volume %s completed", attachment.id, volume.id);
  }

  /**
   * {@code DELETE /attachments/{id}}: a connected attachment through its host ({@code
   * attachment_delete}), a reserved one here; the volume's status follows what is left.
   */
  public Uni<Map<String, Object>> delete(
      String id, RequestContext caller, NovaUsageCheck.Requester requester) {
    UUID attachmentId = Volume.parseId(id);
    Attachment found = QuarkusTransaction.requiringNew().call(() -> find(attachmentId, caller));
    novaUsage.allow(requester, found.volumeId, found.id, () -> List.of(found));
    Map<String, Object> answer = Map.of("attachments", List.of());
    if (!found.connected()) {
      QuarkusTransaction.requiringNew().run(() -> removeUnconnected(attachmentId, caller));
      return Uni.createFrom().item(answer);
    }
    AttachmentCall call = new AttachmentCall(caller, found.volumeId, attachmentId);
    return detachFlow
        .build(MessageType.ATTACHMENT_DELETE)
        .run(call)
        .map(
            done -> {
              LOG.infof("attachment %s of volume %s deleted", attachmentId, done.volumeId);
              return answer;
            });
  }

  private void removeUnconnected(UUID attachmentId, RequestContext caller) {
    Attachment attachment = states.locked(attachmentId, caller.projectId(), caller.isAdmin());
    if (attachment.previousStatus != null) {
      throw new CinderFault(
          409, "Attachment " + attachment.id + " is busy with another request; retry later.");
    }
    Volume volume = states.remove(attachment);
    LOG.infof("attachment %s of volume %s deleted (never connected)", attachmentId, volume.id);
  }

  /** {@code GET /attachments/{id}}. */
  @Transactional
  public Attachment show(String id, RequestContext caller) {
    return find(Volume.parseId(id), caller);
  }

  /**
   * {@code GET /attachments[/detail]}: the caller's project's (every project's for an admin asking
   * {@code all_tenants}), newest first, filtered by {@code volume_id}, {@code status} / {@code
   * attach_status} and {@code instance_id}.
   */
  @Transactional
  public List<Attachment> list(RequestContext caller, MultivaluedMap<String, String> query) {
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    if (!(caller.isAdmin() && QueryParams.truthy(query.getFirst("all_tenants")))) {
      where.append(" and projectId = :project");
      params.put("project", caller.projectId());
    }
    String volumeId = query.getFirst("volume_id");
    if (volumeId != null) {
      UUID uuid = Volume.parseId(volumeId);
      if (uuid == null) {
        return List.of();
      }
      where.append(" and volumeId = :volume");
      params.put("volume", uuid);
    }
    String status = query.getFirst("status");
    if (status == null) {
      status = query.getFirst("attach_status");
    }
    if (status != null) {
      where.append(" and attachStatus = :status");
      params.put("status", status);
    }
    String instance = query.getFirst("instance_id");
    if (instance != null) {
      where.append(" and instanceUuid = :instance");
      params.put("instance", instance);
    }
    return Attachment.<Attachment>find(where + " order by createdAt desc, id desc", params).list();
  }

  /** The attached attachments of these volumes, for their bodies' {@code attachments}. */
  @Transactional
  public Map<UUID, List<Map<String, Object>>> shownOn(Collection<UUID> volumeIds) {
    Map<UUID, List<Map<String, Object>>> shown = new HashMap<>();
    if (volumeIds.isEmpty()) {
      return shown;
    }
    List<Attachment> found =
        Attachment.<Attachment>find(
                "volumeId in ?1 and attachStatus = ?2 order by createdAt",
                List.copyOf(volumeIds),
                Attachment.ATTACHED)
            .list();
    for (Attachment a : found) {
      shown.computeIfAbsent(a.volumeId, k -> new ArrayList<>()).add(AttachmentView.ofVolume(a));
    }
    return shown;
  }

  // ---- legacy volume actions ------------------------------------------------------------------

  /** {@code os-reserve}: {@code available} (or multiattach {@code in-use}) to {@code attaching}. */
  @Transactional
  public void reserve(String id, RequestContext caller) {
    Volume volume = lockedVolume(id, caller);
    List<String> allowed =
        states.multiattach(volume)
            ? List.of(VolumeStatus.AVAILABLE.wire(), VolumeStatus.IN_USE.wire())
            : List.of(VolumeStatus.AVAILABLE.wire());
    if (!allowed.contains(volume.status)) {
      throw CinderFault.invalidVolume(
          "Volume status must be "
              + String.join(" or ", allowed)
              + " to reserve, but the status is "
              + volume.status
              + ".");
    }
    volume.status = VolumeStatus.ATTACHING.wire();
    volume.updatedAt = VolumeClock.now();
    LOG.infof("volume %s reserved (attaching)", volume.id);
  }

  /** {@code os-unreserve}: out of {@code attaching} as its attachments say; else nothing. */
  @Transactional
  public void unreserve(String id, RequestContext caller) {
    Volume volume = lockedVolume(id, caller);
    if (VolumeStatus.ATTACHING.wire().equals(volume.status)) {
      states.settle(volume);
      LOG.infof("volume %s unreserved (%s)", volume.id, volume.status);
    }
  }

  /** {@code os-begin_detaching}: {@code in-use} and attached to {@code detaching}. */
  @Transactional
  public void beginDetaching(String id, RequestContext caller) {
    Volume volume = lockedVolume(id, caller);
    if (!VolumeStatus.IN_USE.wire().equals(volume.status)
        || !Attachment.ATTACHED.equals(volume.attachStatus)) {
      throw CinderFault.invalidVolume(
          "Unable to detach volume. Volume status must be 'in-use' and attach_status must be"
              + " 'attached' to detach.");
    }
    volume.status = VolumeStatus.DETACHING.wire();
    volume.updatedAt = VolumeClock.now();
    LOG.infof("volume %s detaching", volume.id);
  }

  /** {@code os-roll_detaching}: {@code detaching} back to {@code in-use}; else nothing. */
  @Transactional
  public void rollDetaching(String id, RequestContext caller) {
    Volume volume = lockedVolume(id, caller);
    if (VolumeStatus.DETACHING.wire().equals(volume.status)) {
      volume.status = VolumeStatus.IN_USE.wire();
      volume.updatedAt = VolumeClock.now();
      LOG.infof("volume %s detaching rolled back", volume.id);
    }
  }

  /** {@code os-initialize_connection}: the host's connection for the connector. */
  public Uni<Map<String, Object>> initializeConnection(
      String id, JsonNode action, RequestContext caller) {
    UUID volumeId = visible(id, caller);
    AttachmentCall call = new AttachmentCall(caller, volumeId, null);
    call.connector = legacyConnector(action);
    return connectionFlow
        .initialize()
        .run(call)
        .map(
            done -> {
              Map<String, Object> info = new LinkedHashMap<>();
              info.put("driver_volume_type", done.connection.driverVolumeType());
              info.put("data", done.connection.data());
              return Map.of("connection_info", info);
            });
  }

  /** {@code os-terminate_connection}: the host ends the connector's connection. */
  public Uni<Void> terminateConnection(
      String id, JsonNode action, RequestContext caller, NovaUsageCheck.Requester requester) {
    UUID volumeId = visible(id, caller);
    novaUsage.allow(requester, volumeId, null, () -> attachmentsOf(volumeId));
    AttachmentCall call = new AttachmentCall(caller, volumeId, null);
    call.connector = legacyConnector(action);
    JsonNode force = action.get("force");
    call.force = force != null && VolumeFields.flag("force", force);
    return connectionFlow.terminate().run(call).replaceWithVoid();
  }

  /** {@code os-attach}: attached to an instance or a host at a mountpoint, through the host. */
  public Uni<Void> attach(String id, JsonNode action, RequestContext caller) {
    if (action == null || !action.isObject()) {
      throw CinderFault.badRequest("Malformed request body");
    }
    UUID volumeId = visible(id, caller);
    AttachmentCall call = new AttachmentCall(caller, volumeId, null);
    call.instanceUuid = text(action, "instance_uuid");
    call.hostName = text(action, "host_name");
    call.mountpoint = text(action, "mountpoint");
    if (call.instanceUuid == null && call.hostName == null) {
      throw CinderFault.badRequest("Invalid request to attach volume to an invalid target");
    }
    if (call.mountpoint == null) {
      throw CinderFault.badRequest("Must specify 'mountpoint'");
    }
    String mode = action.has("mode") ? text(action, "mode") : "rw";
    if (!MODES.contains(mode)) {
      throw CinderFault.badRequest("Invalid request to attach volume with an invalid mode.");
    }
    call.mode = mode;
    return attachFlow.build().run(call).replaceWithVoid();
  }

  /** {@code os-detach}: the attachment named (or the volume's only one) ends, through the host. */
  public Uni<Void> detach(
      String id,
      JsonNode action,
      RequestContext caller,
      boolean force,
      NovaUsageCheck.Requester requester) {
    if (force) {
      AdminPolicy.require(caller, "force_detach");
    }
    UUID volumeId = Volume.parseId(id);
    UUID attachmentId =
        QuarkusTransaction.requiringNew().call(() -> attachmentOf(id, action, caller, force));
    novaUsage.allow(requester, volumeId, attachmentId, () -> attachmentsOf(volumeId));
    AttachmentCall call = new AttachmentCall(caller, volumeId, attachmentId);
    if (force) {
      call.force = true;
      call.connector = action == null ? null : connector(action.get("connector"), false);
    }
    return detachFlow
        .build(MessageType.DETACH_VOLUME)
        .run(call)
        .map(
            done -> {
              LOG.infof("volume %s detached (attachment %s)", volumeId, attachmentId);
              return null;
            })
        .replaceWithVoid();
  }

  private List<Attachment> attachmentsOf(UUID volumeId) {
    return QuarkusTransaction.requiringNew()
        .call(() -> Attachment.<Attachment>list("volumeId", volumeId));
  }

  /** Checks the legacy detach's rules and picks its attachment. */
  private UUID attachmentOf(String id, JsonNode action, RequestContext caller, boolean force) {
    Volume volume = lockedVolume(id, caller);
    if (!force
        && !VolumeStatus.IN_USE.wire().equals(volume.status)
        && !VolumeStatus.DETACHING.wire().equals(volume.status)) {
      throw CinderFault.invalidVolume(
          "Unable to detach volume. Volume status must be 'in-use' and attach_status must be"
              + " 'attached' to detach.");
    }
    JsonNode named = action == null ? null : action.get("attachment_id");
    List<Attachment> attachments = Attachment.list("volumeId", volume.id);
    if (named == null || named.isNull()) {
      if (attachments.size() != 1) {
        throw CinderFault.badRequest("Must specify 'attachment_id'");
      }
      return attachments.get(0).id;
    }
    UUID wanted = Volume.parseId(named.asText());
    return attachments.stream()
        .filter(a -> a.id.equals(wanted))
        .findFirst()
        .orElseThrow(() -> AttachmentStates.notFound(named.asText()))
        .id;
  }

  /** The volume of an action, its row locked; Cinder's 404 when the caller may not see it. */
  private Volume lockedVolume(String id, RequestContext caller) {
    UUID uuid = Volume.parseId(id);
    Volume volume = uuid == null ? null : Volume.findById(uuid, LockModeType.PESSIMISTIC_WRITE);
    if (volume == null || !(caller.isAdmin() || volume.projectId.equals(caller.projectId()))) {
      throw CinderFault.volumeNotFound(id);
    }
    return volume;
  }

  // ---- helpers ---------------------------------------------------------------------------

  private Attachment find(UUID id, RequestContext caller) {
    Attachment attachment = id == null ? null : Attachment.findById(id);
    if (attachment == null
        || !(caller.isAdmin() || attachment.projectId.equals(caller.projectId()))) {
      throw AttachmentStates.notFound(id);
    }
    return attachment;
  }

  private UUID visible(String id, RequestContext caller) {
    UUID volumeId = Volume.parseId(id);
    if (volumeId == null) {
      throw CinderFault.volumeNotFound(id);
    }
    QuarkusTransaction.requiringNew().run(() -> visibleVolume(volumeId, caller));
    return volumeId;
  }

  private void visibleVolume(UUID volumeId, RequestContext caller) {
    Volume volume = Volume.findById(volumeId);
    if (volume == null || !(caller.isAdmin() || volume.projectId.equals(caller.projectId()))) {
      throw CinderFault.volumeNotFound(volumeId);
    }
  }

  private static String connectionShown(AttachmentCall done) {
    return AttachmentStates.shownConnection(done.connection, done.attachmentId);
  }

  private static Map<String, Object> legacyConnector(JsonNode action) {
    if (action == null || !action.isObject() || !action.has("connector")) {
      throw CinderFault.badRequest("Must specify 'connector'");
    }
    return connector(action.get("connector"), true);
  }

  private static Map<String, Object> connector(JsonNode node, boolean required) {
    if (node == null || node.isNull()) {
      if (required) {
        throw CinderFault.badRequest("Must specify 'connector'");
      }
      return null;
    }
    if (!node.isObject()) {
      throw VolumeFields.invalidField(
          "connector", node, Echo.cap(node.toString()) + " is not of type 'object', 'null'");
    }
    return Json.MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {});
  }

  private static String text(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
