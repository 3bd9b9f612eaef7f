package io.ember.api.volume;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.fault.CinderFault;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code os-reset_status} sets, validated as Cinder's volume admin controller does: any of
 * status, attach_status and migration_status, each lower-cased and checked against its list ({@code
 * none} clears the migration status, as Cinder stores it).
 */
public record StatusReset(String status, String attachStatus, String migrationStatus) {

  private static final Set<String> STATUSES =
      Set.of(
          "creating",
          "available",
          "deleting",
          "error",
          "error_deleting",
          "error_managing",
          "managing",
          "attaching",
          "in-use",
          "detaching",
          "maintenance");
  private static final Set<String> ATTACH_STATUSES = Set.of("attached", "detached");
  private static final Set<String> MIGRATION_STATUSES =
      Set.of("migrating", "error", "success", "completing", "none", "starting");

  /** The action's argument, e.g. {@code {"status": "available"}}. */
  public static StatusReset parse(JsonNode args) {
    String status = field(args, "status");
    String attachStatus = field(args, "attach_status");
    String migrationStatus = field(args, "migration_status");
    if (status == null && attachStatus == null && migrationStatus == null) {
      throw CinderFault.badRequest(
          "Must specify 'status', 'attach_status' or 'migration_status' for update.");
    }
    if (status != null && !STATUSES.contains(status)) {
      throw CinderFault.badRequest("Must specify a valid status");
    }
    if (attachStatus != null && !ATTACH_STATUSES.contains(attachStatus)) {
      throw CinderFault.badRequest("Must specify a valid attach status");
    }
    if (migrationStatus != null && !MIGRATION_STATUSES.contains(migrationStatus)) {
      throw CinderFault.badRequest("Must specify a valid migration status");
    }
    return new StatusReset(status, attachStatus, migrationStatus);
  }

  /** The fields set, as the notification's {@code update} shows them. */
  public Map<String, Object> asUpdate() {
    Map<String, Object> update = new LinkedHashMap<>();
    if (status != null) {
      update.put("status", status);
    }
    if (attachStatus != null) {
      update.put("attach_status", attachStatus);
    }
    if (migrationStatus != null) {
      update.put("migration_status", "none".equals(migrationStatus) ? null : migrationStatus);
    }
    return update;
  }

  /** A non-empty text value, lower-cased; absent, null or empty count as not given (as Cinder). */
  private static String field(JsonNode args, String name) {
    JsonNode value = args == null ? null : args.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw CinderFault.badRequest("Must specify a valid " + name.replace('_', ' '));
    }
    String text = value.asText();
    return text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
  }
}
