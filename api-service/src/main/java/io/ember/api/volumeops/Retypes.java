package io.ember.api.volumeops;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.outbound.SchedulerCommands;
import io.ember.api.outbound.VolumeNotifications;
import io.ember.api.qos.QosSpecs;
import io.ember.api.quota.QuotaLedger;
import io.ember.api.quota.QuotaService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.usermessage.UserMessages;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.ScheduleRetype;
import io.ember.model.contract.VolumeRetypeFailed;
import io.ember.model.contract.VolumeRetyped;
import io.ember.model.contract.VolumeSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * {@code os-retype}: Cinder's {@code volume/api.py retype}. The request is checked (type, policy,
 * multiattach, quota of the new type, status, front-end QoS of an in-use volume), the volume set
 * {@code retyping} and the scheduler asked whether its backend can hold the new type, in one
 * transaction. The result commits the new type and moves the volume's per-type quota from the old
 * type to the new one in one transaction, or puts the volume back to its previous status.
 */
@ApplicationScoped
public class Retypes {

  private static final Logger LOG = Logger.getLogger(Retypes.class);

  static final String ACTION = "os-retype";

  /** Cinder's message, word for word (its "different that" included). */
  static final String REFUSED =
      "Retype needs volume to be in available or in-use state, not be part of an active migration"
          + " or a consistency group, requested type has to be different that the one from the"
          + " volume, and for in-use volumes front-end qos specs cannot change.";

  static final List<String> POLICIES = List.of("on-demand", "never");

  @Inject VolumeService volumes;
  @Inject VolumeTypeCatalog types;
  @Inject QuotaService quotas;
  @Inject SchedulerCommands scheduler;
  @Inject VolumeNotifications notifications;
  @Inject UserMessages messages;

  /** The action's body as Cinder's schema takes it. */
  record Request(String newType, String migrationPolicy) {

    static Request parse(JsonNode request) {
      JsonNode body = request.get(ACTION);
      if (body == null || !body.isObject()) {
        throw VolumeFields.invalidField(
            ACTION, body, Echo.cap(String.valueOf(body)) + " is not of type 'object'");
      }
      for (String name : (Iterable<String>) body::fieldNames) {
        if (!name.equals("new_type") && !name.equals("migration_policy")) {
          throw VolumeFields.invalidField(
              ACTION,
              body,
              "Additional properties are not allowed ('" + Echo.cap(name) + "' was unexpected)");
        }
      }
      JsonNode type = body.get("new_type");
      if (type == null) {
        throw VolumeFields.invalidField(ACTION, body, "'new_type' is a required property");
      }
      if (!type.isTextual()) {
        throw VolumeFields.invalidField(
            "new_type", type, Echo.cap(type.toString()) + " is not of type 'string'");
      }
      JsonNode policy = body.get("migration_policy");
      String migrationPolicy = null;
      if (policy != null && !policy.isNull()) {
        if (!policy.isTextual()) {
          throw VolumeFields.invalidField(
              "migration_policy",
              policy,
              Echo.cap(policy.toString()) + " is not of type 'string', 'null'");
        }
        if (!POLICIES.contains(policy.asText())) {
          throw VolumeFields.invalidField(
              "migration_policy",
              policy,
              "'" + Echo.cap(policy.asText()) + "' is not one of ['on-demand', 'never']");
        }
        migrationPolicy = policy.asText();
      }
      return new Request(type.asText(), migrationPolicy);
    }
  }

  @Transactional
  public void retype(String id, JsonNode request, RequestContext caller) {
    Request asked = Request.parse(request);
    Volume volume = volumes.lockedForChange(id, caller);
    AdminPolicy.require(caller, "volume:retype", AdminPolicy.Level.MEMBER);
    // Any type by name or id, as Cinder looks it up with an elevated context.
    UUID typeId = Volume.parseId(asked.newType());
    VolumeTypeCatalog.Entry newType =
        typeId != null ? types.byId(typeId) : types.byName(asked.newType());
    if (newType == null) {
      throw CinderFault.invalidInput(
          "Invalid volume_type passed: " + Echo.cap(asked.newType()) + ".");
    }
    // A volume is never multiattach in Ember yet: a multiattach type changes that.
    boolean toMultiattach = "<is> True".equals(newType.extraSpecs().get("multiattach"));
    if (toMultiattach && !VolumeStatus.AVAILABLE.wire().equals(volume.status)) {
      throw CinderFault.invalidInput(
          "Invalid volume_type passed, retypes affecting multiattach are only allowed on available"
              + " volumes, the specified volume however currently has a status of: "
              + volume.status
              + ".");
    }
    if (toMultiattach && types.isEncrypted(newType.id())) {
      throw CinderFault.invalidInput(
          "Retype requested both encryption and multi-attach, which is not supported.");
    }
    VolumeTypeCatalog.Entry oldType = currentType(volume);
    // Checked now, to refuse early; moved when the type changes (Cinder's reservation).
    QuotaLedger quota = quotas.open(volume.projectId);
    quota.rollback(quota.reserve(perType(volume.size, newType.name())));
    quotas.close(quota);
    boolean statusAllows =
        (VolumeStatus.AVAILABLE.wire().equals(volume.status)
                || VolumeStatus.IN_USE.wire().equals(volume.status))
            && volume.host != null;
    // Cinder's conditional update also wants no group (its message says "consistency group").
    if (!statusAllows
        || volume.groupId != null
        || (oldType != null && oldType.id().equals(newType.id()))
        || !qosAllows(volume, oldType, newType)) {
      throw CinderFault.invalidVolume(REFUSED);
    }
    String policy = asked.migrationPolicy() == null ? "never" : asked.migrationPolicy();
    volume.previousStatus = volume.status;
    volume.status = VolumeStatus.RETYPING.wire();
    volume.retypeTypeId = newType.id();
    volume.updatedAt = VolumeClock.now();
    scheduler.scheduleRetype(
        new ScheduleRetype(
            new VolumeSpec(
                volume.id.toString(),
                volume.projectId,
                volume.userId,
                volume.size,
                volume.name,
                volume.availabilityZone,
                newType.id().toString(),
                newType.extraSpecs(),
                volume.metadata,
                volume.createdAt.toInstant(ZoneOffset.UTC)),
            volume.host,
            policy,
            volume.previousStatus,
            encryptionChanges(oldType, newType)),
        caller);
    LOG.infof(
        "volume %s retyping from %s to %s (migration_policy %s)",
        volume.id, oldType == null ? null : oldType.name(), newType.name(), policy);
  }

  /**
   * The volume's type; one without is of the default type (as V7 made the volumes before types).
   */
  private VolumeTypeCatalog.Entry currentType(Volume volume) {
    return volume.volumeTypeId == null
        ? types.byName(QuotaService.DEFAULT_TYPE)
        : types.byId(volume.volumeTypeId);
  }

  /**
   * Cinder's {@code volume_qos_allows_retype}: an in-use volume keeps its front-end QoS (the
   * hypervisor applies it): the types' QoS is the same, or neither has any but a back-end one.
   */
  private static boolean qosAllows(
      Volume volume, VolumeTypeCatalog.Entry oldType, VolumeTypeCatalog.Entry newType) {
    if (!VolumeStatus.IN_USE.wire().equals(volume.status)) {
      return true;
    }
    QosSpecs oldQos = oldType == null ? null : oldType.qos();
    QosSpecs newQos = newType.qos();
    UUID oldId = oldQos == null ? null : oldQos.id();
    UUID newId = newQos == null ? null : newQos.id();
    return Objects.equals(oldId, newId) || (!frontEnd(oldQos) && !frontEnd(newQos));
  }

  private static boolean frontEnd(QosSpecs qos) {
    return qos != null && !QosSpecs.BACK_END.equals(qos.consumer());
  }

  /**
   * Whether the encryption differs: one type encrypted and not the other, or two encrypted types
   * (Ember does not compare their specs; either way no driver changes it in place).
   */
  private boolean encryptionChanges(
      VolumeTypeCatalog.Entry oldType, VolumeTypeCatalog.Entry newType) {
    boolean before = oldType != null && types.isEncrypted(oldType.id());
    return before || types.isEncrypted(newType.id());
  }

  /** What a volume of {@code size} is charged under its type alone (the totals do not change). */
  private static Map<String, Integer> perType(int size, String typeName) {
    Map<String, Integer> deltas = new LinkedHashMap<>(QuotaService.forVolume(size, typeName));
    deltas.keySet().removeAll(Set.of(QuotaService.VOLUMES, QuotaService.GIGABYTES));
    return deltas;
  }

  /**
   * The host changed the type: the volume takes it, its per-type quota moves from the old type to
   * the new one, and it goes back to its previous status, in the consumer's transaction; announced
   * as Cinder's {@code volume.retype}.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void retyped(RequestContext context, VolumeRetyped event) {
    Volume volume = inFlight(event.volumeId(), event.newTypeId(), "retyped");
    if (volume == null) {
      return;
    }
    VolumeTypeCatalog.Entry oldType = currentType(volume);
    VolumeTypeCatalog.Entry newType = types.byId(volume.retypeTypeId);
    QuotaLedger quota = quotas.open(volume.projectId);
    if (newType != null) {
      quota.charge(perType(volume.size, newType.name()));
    }
    quotas.close(quota);
    if (oldType != null) {
      quotas.release(volume.projectId, perType(volume.size, oldType.name()));
    }
    volume.volumeTypeId = volume.retypeTypeId;
    backFromRetyping(volume);
    if (context != null) {
      notifications.usage(context, volume, "volume.retype");
    }
    LOG.infof(
        "volume %s retyped to %s, %s",
        volume.id, newType == null ? volume.volumeTypeId : newType.name(), volume.status);
  }

  /**
   * The retype could not be done (no fitting backend, or the host failed): the volume keeps its
   * type and goes back to its previous status, with a user message saying why.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void retypeFailed(VolumeRetypeFailed event) {
    Volume volume = inFlight(event.volumeId(), event.newTypeId(), "retype_failed");
    if (volume == null) {
      return;
    }
    backFromRetyping(volume);
    messages.volumeError(
        volume.projectId,
        volume.id.toString(),
        volume.requestId,
        event.noValidBackend()
            ? UserMessages.Failure.RETYPE_NO_VALID_BACKEND
            : UserMessages.Failure.RETYPE_FAILED);
    LOG.infof("volume %s retype failed (%s), %s", volume.id, event.reason(), volume.status);
  }

  private static Volume inFlight(String volumeId, String typeId, String what) {
    UUID id = Volume.parseId(volumeId);
    Volume volume = id == null ? null : Volume.findById(id);
    if (volume == null
        || !VolumeStatus.RETYPING.wire().equals(volume.status)
        || volume.retypeTypeId == null
        || !volume.retypeTypeId.toString().equals(typeId)) {
      LOG.infof(
          "volume %s %s event for type %s ignored (status %s)",
          volumeId, what, typeId, volume == null ? "gone" : volume.status);
      return null;
    }
    return volume;
  }

  private static void backFromRetyping(Volume volume) {
    volume.status =
        volume.previousStatus == null ? VolumeStatus.AVAILABLE.wire() : volume.previousStatus;
    volume.previousStatus = null;
    volume.retypeTypeId = null;
    volume.updatedAt = VolumeClock.now();
    // Written now: a later event of the same poll may change the row with one statement.
    Volume.flush();
  }
}
