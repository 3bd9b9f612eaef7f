package io.ember.api.type;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.fault.CinderFault;
import io.ember.api.outbound.EncryptionTypeNotifications;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.model.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Encryption types ({@code /types/{id}/encryption}), as Cinder's {@code volume_type_encryption.py}:
 * admins only, also for reading (Cinder's default policy), and no change while a volume of the type
 * exists. The checks run in Cinder's order, so each refusal is the one Cinder gives.
 */
@ApplicationScoped
public class EncryptionTypeService {

  private static final Logger LOG = Logger.getLogger(EncryptionTypeService.class);

  static final String GET = "volume_extension:volume_type_encryption:get";
  static final String CREATE = "volume_extension:volume_type_encryption:create";
  static final String UPDATE = "volume_extension:volume_type_encryption:update";
  static final String DELETE = "volume_extension:volume_type_encryption:delete";

  @Inject EncryptionTypeNotifications notifications;

  /** A new encryption type and what the request gave, for the answer (Cinder echoes the body). */
  public record Created(EncryptionType encryption, Map<String, Object> given) {}

  /** {@code GET /types/{id}/encryption} and {@code /encryption/{key}}: the type's, or null. */
  @Transactional
  public EncryptionType show(String typeId, RequestContext caller) {
    AdminPolicy.requireRule(caller, GET);
    return EncryptionType.findById(type(typeId, false).id);
  }

  @Transactional
  public Created create(String typeId, JsonNode body, RequestContext caller) {
    Map<String, Object> given = EncryptionTypeFields.create(body);
    AdminPolicy.requireRule(caller, CREATE);
    UUID id = VolumeTypeCatalog.parse(typeId);
    // Cinder looks for volumes of the type before it looks for the type.
    if (inUse(id)) {
      throw CinderFault.badRequest("Cannot create encryption specs. Volume type in use.");
    }
    // The type's row lock makes two creates for one type take turns.
    VolumeType type = type(typeId, true);
    if (EncryptionType.findById(type.id) != null) {
      throw CinderFault.badRequest(
          "Volume type encryption for type " + typeId + " already exists.");
    }
    EncryptionType encryption = new EncryptionType();
    encryption.volumeTypeId = type.id;
    encryption.encryptionId = UUID.randomUUID();
    apply(encryption, given);
    encryption.createdAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    encryption.persist();
    Map<String, Object> specs = new LinkedHashMap<>(given);
    specs.put("volume_type_id", type.id.toString());
    specs.put("encryption_id", encryption.encryptionId.toString());
    notifications.created(caller, type.id, specs);
    LOG.infof("volume type %s encrypted (%s)", type.id, encryption.provider);
    return new Created(encryption, specs);
  }

  /**
   * {@code PUT /types/{id}/encryption/{encryption_id}}: changes the fields given. As Cinder, the id
   * in the path is not checked: a type has one encryption type (cinderclient sends "provider").
   */
  @Transactional
  public Map<String, Object> update(
      String typeId, String encryptionId, JsonNode body, RequestContext caller) {
    Map<String, Object> given = EncryptionTypeFields.update(body);
    AdminPolicy.requireRule(caller, UPDATE);
    VolumeType type = type(typeId, true);
    if (inUse(type.id)) {
      throw CinderFault.badRequest("Cannot update encryption specs. Volume type in use.");
    }
    EncryptionType encryption = EncryptionType.findById(type.id);
    if (encryption == null) {
      throw notFound(typeId);
    }
    apply(encryption, given);
    encryption.updatedAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
    notifications.updated(caller, type.id, encryptionId);
    LOG.infof("encryption of volume type %s updated", type.id);
    return given;
  }

  /**
   * {@code DELETE /types/{id}/encryption/{encryption_id}}. As Cinder: no look for the type (an
   * unknown one has no encryption), and no notification.
   */
  @Transactional
  public void delete(String typeId, RequestContext caller) {
    AdminPolicy.requireRule(caller, DELETE);
    UUID id = VolumeTypeCatalog.parse(typeId);
    if (inUse(id)) {
      throw CinderFault.badRequest("Cannot delete encryption specs. Volume type in use.");
    }
    EncryptionType encryption =
        id == null ? null : EncryptionType.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (encryption == null) {
      throw notFound(typeId);
    }
    encryption.delete();
    LOG.infof("encryption of volume type %s deleted", id);
  }

  /** Cinder's {@code VolumeTypeEncryptionNotFound}. */
  public static CinderFault notFound(String typeId) {
    return CinderFault.notFound("Volume type encryption for type " + typeId + " does not exist.");
  }

  private static void apply(EncryptionType encryption, Map<String, Object> given) {
    if (given.containsKey("provider")) {
      encryption.provider = (String) given.get("provider");
    }
    if (given.containsKey("cipher")) {
      encryption.cipher = (String) given.get("cipher");
    }
    if (given.containsKey("key_size")) {
      encryption.keySize = (Integer) given.get("key_size");
    }
    if (given.containsKey("control_location")) {
      encryption.controlLocation = (String) given.get("control_location");
    }
  }

  /** The type of that id (any: the caller is an admin), else Cinder's 404. */
  private static VolumeType type(String typeId, boolean lock) {
    UUID id = VolumeTypeCatalog.parse(typeId);
    VolumeType type =
        id == null
            ? null
            : lock
                ? VolumeType.findById(id, LockModeType.PESSIMISTIC_WRITE)
                : VolumeType.findById(id);
    if (type == null) {
      throw VolumeTypeService.notFound(typeId);
    }
    return type;
  }

  /** Cinder's {@code _encrypted_type_in_use}: a volume of the type exists, in any project. */
  private static boolean inUse(UUID typeId) {
    return typeId != null && Volume.count("volumeTypeId", typeId) > 0;
  }
}
