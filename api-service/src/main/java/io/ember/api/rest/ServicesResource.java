package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.service.ServiceAdmin;
import io.ember.model.contract.ServiceRecord;
import io.ember.model.contract.ServiceStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v3/{project_id}/os-services}: the services with their liveness and status, and an admin's
 * {@code enable}, {@code disable} and {@code disable-log-reason} (admins only, as Cinder's policy).
 */
@Path("/v3/{project_id}/os-services")
@Tag(name = "services", description = "Services, their state and status (admin).")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private static final Set<String> FIELDS = Set.of("binary", "host", "cluster", "service");

  @Inject Caller caller;
  @Inject ServiceAdmin services;

  @GET
  @Operation(summary = "List services")
  public Map<String, Object> list(
      @QueryParam("host") String host, @QueryParam("binary") String binary) {
    requireAdmin("volume_extension:services:index");
    return Map.of(
        "services",
        services.list(Optional.ofNullable(host), Optional.ofNullable(binary)).stream()
            .map(this::view)
            .toList());
  }

  @PUT
  @Path("{action}")
  @Operation(summary = "Enable or disable a service (enable, disable, disable-log-reason)")
  public Map<String, Object> update(@PathParam("action") String action, byte[] body) {
    requireAdmin("volume_extension:services:update");
    boolean withReason = "disable-log-reason".equals(action);
    if (!withReason && !"enable".equals(action) && !"disable".equals(action)) {
      throw CinderFault.invalidInput("Unknown action");
    }
    JsonNode json = JsonBody.parse(body);
    if (!json.isObject()) {
      throw CinderFault.badRequest("Malformed request body");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name) && !(withReason && "disabled_reason".equals(name))) {
        throw CinderFault.badRequest(
            "Additional properties are not allowed ('" + name + "' was unexpected)");
      }
    }
    String binary = string(json, "binary");
    String service = string(json, "service");
    if (binary == null && service == null) {
      throw CinderFault.badRequest("'binary' is a required property");
    }
    String host = string(json, "host");
    if (host == null || host.isEmpty()) {
      throw CinderFault.invalidInput("Host field is missing.");
    }
    JsonNode givenReason = json.get("disabled_reason");
    if (withReason && givenReason != null && givenReason.isNull()) {
      // Cinder's schema wants a string here: a null reason is refused, not taken as none.
      throw CinderFault.badRequest(
          "Invalid input for field/attribute disabled_reason. Value: None."
              + " None is not of type 'string'");
    }
    String reason = withReason ? string(json, "disabled_reason") : null;
    if (withReason && reason != null && reason.strip().isEmpty()) {
      throw CinderFault.badRequest(
          "Invalid input for field/attribute disabled_reason. Value: "
              + reason
              + ". 'disabled_reason' has invalid characters or is too long");
    }
    String binaryKey = binary != null ? binary : service;
    boolean disabled = !"enable".equals(action);
    ServiceStatus status =
        services.setStatus(host, binaryKey, disabled, reason, withReason, caller.context());
    Map<String, Object> v = new LinkedHashMap<>();
    if (withReason) {
      v.put("disabled_reason", status.disabledReason());
    }
    v.put("disabled", disabled);
    v.put("host", host);
    v.put("service", service == null ? "" : service);
    v.put("binary", binary == null ? "" : binary);
    v.put("status", disabled ? "disabled" : "enabled");
    return v;
  }

  private Map<String, Object> view(ServiceAdmin.ServiceInfo s) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("binary", s.binary());
    v.put("host", s.host());
    v.put("zone", s.zone());
    v.put("status", s.disabled() ? "disabled" : "enabled");
    v.put("state", s.up() ? "up" : "down");
    v.put("updated_at", s.updatedAt() == null ? null : TIME.format(s.updatedAt()));
    boolean volume = ServiceRecord.VOLUME_BINARY.equals(s.binary());
    if (volume && caller.version().atLeast(49)) {
      v.put("backend_state", s.up() ? "up" : "down");
    }
    if (caller.version().atLeast(7)) {
      v.put("cluster", null);
    }
    v.put("disabled_reason", s.disabledReason());
    if (volume) {
      // No replication in Ember: what Cinder shows for a backend without it.
      v.put("replication_status", "disabled");
      v.put("active_backend_id", null);
      v.put("frozen", false);
    }
    return v;
  }

  private void requireAdmin(String rule) {
    if (!caller.isAdmin()) {
      throw new CinderFault(403, "Policy doesn't allow " + rule + " to be performed.");
    }
  }

  /** A string field, or null when absent or null; anything else is Cinder's schema error. */
  private static String string(JsonNode json, String name) {
    JsonNode value = json.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw CinderFault.badRequest(
          "Invalid input for field/attribute "
              + name
              + ". Value: "
              + value
              + ". "
              + value
              + " is not of type 'string'");
    }
    String s = value.asText();
    if (s.isEmpty() || s.length() > 255) {
      throw CinderFault.badRequest(
          "Invalid input for field/attribute "
              + name
              + ". Value: "
              + s
              + ". "
              + (s.isEmpty() ? "'' is too short" : "'" + s + "' is too long"));
    }
    return s;
  }
}
