package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.quota.QuotaService;
import io.ember.api.quota.QuotaUsage;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v3/{project_id}/os-quota-sets/{target}}: show (with usage), update, reset. */
@Path("/v3/{project_id}/os-quota-sets/{target}")
@Tag(name = "quota sets", description = "Volume quotas of a project.")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaSetsResource {

  @Inject Caller caller;
  @Inject QuotaService quotas;

  @GET
  @Operation(summary = "Show a project's quotas (with usage=true: limit, in_use, reserved)")
  public Map<String, Object> show(
      @PathParam("target") String target, @QueryParam("usage") String usage) {
    authorize(target, false);
    Map<String, Object> set = new LinkedHashMap<>();
    if (usage != null && Boolean.parseBoolean(usage.toLowerCase())) {
      for (Map.Entry<String, QuotaUsage> e : quotas.usage(target).entrySet()) {
        QuotaUsage u = e.getValue();
        set.put(
            e.getKey(), Map.of("limit", u.limit(), "in_use", u.inUse(), "reserved", u.reserved()));
      }
    } else {
      set.putAll(quotas.limits(target));
    }
    set.put("id", target);
    return Map.of("quota_set", set);
  }

  @GET
  @Path("defaults")
  @Operation(summary = "Show the default quotas")
  public Map<String, Object> defaults(@PathParam("target") String target) {
    Map<String, Object> set = new LinkedHashMap<>(quotas.defaultLimits());
    set.put("id", target);
    return Map.of("quota_set", set);
  }

  @PUT
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Update a project's quotas (admin)")
  public Map<String, Object> update(@PathParam("target") String target, byte[] body) {
    authorize(target, true);
    JsonNode set = JsonBody.parse(body).get("quota_set");
    if (set == null || !set.isObject()) {
      throw CinderFault.badRequest("'quota_set' is a required property");
    }
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : set.properties()) {
      if (f.getKey().equals("tenant_id") || f.getKey().equals("id")) {
        continue;
      }
      JsonNode v = f.getValue();
      String key = Echo.cap(f.getKey());
      if (!(v.isIntegralNumber() || (v.isTextual() && v.asText().matches("-?[0-9]{1,400}")))) {
        throw CinderFault.badRequest(
            "Invalid input for field/attribute "
                + key
                + ". Value: "
                + Echo.cap(v.toString())
                + ". must be an integer");
      }
      // Cinder's quota schema bounds a limit by the database's integer; stored in an int, a larger
      // one was truncated (2^32 + 5 became 5).
      BigInteger value = v.isTextual() ? new BigInteger(v.asText()) : v.bigIntegerValue();
      if (value.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
        throw CinderFault.badRequest(
            "Invalid input for field/attribute "
                + key
                + ". Value: "
                + Echo.cap(value.toString())
                + ". "
                + Echo.cap(value.toString())
                + " is greater than the maximum of "
                + Integer.MAX_VALUE);
      }
      if (value.compareTo(BigInteger.valueOf(-1)) < 0) {
        throw CinderFault.badRequest(
            "Invalid input for field/attribute "
                + key
                + ". Value: "
                + Echo.cap(value.toString())
                + ". "
                + Echo.cap(value.toString())
                + " is less than the minimum of -1");
      }
      limits.put(f.getKey(), value.intValue());
    }
    quotas.setLimits(target, limits);
    return Map.of("quota_set", quotas.limits(target));
  }

  @DELETE
  @Operation(summary = "Reset a project's quotas to the defaults (admin)")
  public Response reset(@PathParam("target") String target) {
    authorize(target, true);
    quotas.resetLimits(target);
    return Response.ok().build(); // as Cinder: 200 with no body at all, not {}
  }

  /** A project id Ember can hold (64 characters) in the characters noauth tokens allow. */
  private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");

  private void authorize(String target, boolean change) {
    if (!TARGET.matcher(target).matches()) {
      throw CinderFault.badRequest("Malformed request url");
    }
    if (caller.isAdmin()) {
      return;
    }
    if (change || !target.equals(caller.projectId())) {
      throw new CinderFault(
          403, "Policy doesn't allow volume_extension:quotas:update to be performed.");
    }
  }
}
