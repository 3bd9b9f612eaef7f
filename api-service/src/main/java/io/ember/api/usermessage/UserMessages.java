package io.ember.api.usermessage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Writes user messages with Cinder's event ids ({@code VOLUME_<resource>_<action>_<detail>}) and
 * texts ({@code "<action>:<detail>"}), kept for Cinder's default {@code message_ttl} of 30 days.
 */
@ApplicationScoped
public class UserMessages {

  /** What failed, as Cinder's message_field actions and details. */
  public enum Failure {
    NO_VALID_BACKEND(
        "VOLUME_VOLUME_001_003",
        "schedule allocate volume:Could not find any available weighted backend."),
    DRIVER_CREATE_FAILED(
        "VOLUME_VOLUME_003_009",
        "create volume from backend storage:Driver failed to create the volume."),
    /** Cinder's COPY_VOLUME_TO_IMAGE action with FAILED_TO_UPLOAD_VOLUME. */
    UPLOAD_FAILED(
        "VOLUME_VOLUME_003_004",
        "copy volume to image:Failed to upload volume to image at backend."),
    /**
     * A retype the volume's backend cannot take (Cinder writes no message for it, only a {@code
     * scheduler.retype} notification; Ember tells the user too, under an action of its own).
     */
    RETYPE_NO_VALID_BACKEND(
        "VOLUME_VOLUME_101_003", "retype volume:Could not find any available weighted backend."),
    /** A retype the volume's backend failed. */
    RETYPE_FAILED("VOLUME_VOLUME_101_001", "retype volume:An unknown error occurred."),
    /** Cinder's EXTEND_VOLUME action with NO_BACKEND_AVAILABLE: the pool has no room. */
    EXTEND_NO_VALID_BACKEND(
        "VOLUME_VOLUME_007_003", "extend volume:Could not find any available weighted backend."),
    /** Cinder's EXTEND_VOLUME action with DRIVER_FAILED_EXTEND. */
    EXTEND_DRIVER_FAILED(
        "VOLUME_VOLUME_007_010", "extend volume:Volume Driver failed to extend volume."),
    /** No answer from the scheduler or the backend before the deadline. */
    UNKNOWN_ERROR("VOLUME_VOLUME_001_001", "schedule allocate volume:An unknown error occurred.");

    final String eventId;
    final String text;

    Failure(String eventId, String text) {
      this.eventId = eventId;
      this.text = text;
    }
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void volumeError(String projectId, String volumeId, String requestId, Failure failure) {
    UserMessage m = new UserMessage();
    m.id = UUID.randomUUID();
    m.projectId = projectId;
    m.eventId = failure.eventId;
    m.userMessage = failure.text;
    m.level = "ERROR";
    m.resourceType = "VOLUME";
    m.resourceUuid = volumeId;
    m.requestId = requestId;
    m.createdAt = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    m.guaranteedUntil = m.createdAt.plusDays(30);
    m.persist();
  }
}
