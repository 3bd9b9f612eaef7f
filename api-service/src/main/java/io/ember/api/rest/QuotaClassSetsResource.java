package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.AdminPolicy;
import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.quota.QuotaService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v3/{project_id}/os-quota-class-sets/{class}}: show and update a quota class (admins only,
 * as Cinder's default policy). The class {@code default} holds every project's default limits.
 */
@Path("/v3/{project_id}/os-quota-class-sets/{quota_class}")
@Tag(name = "quota class sets", description = "Quota classes: the default limits of projects.")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaClassSetsResource {

  /** Cinder's {@code quota_class_set} schema: the names a key may have. */
  private static final Pattern KEY = Pattern.compile("^[a-zA-Z0-9-_:. ]{1,300}$");

  private static final Pattern DIGITS = Pattern.compile("^[0-9]*$");

  @Inject Caller caller;
  @Inject QuotaService quotas;

  @GET
  @Operation(summary = "Show a quota class (admin)")
  public Map<String, Object> show(@PathParam("quota_class") String quotaClass) {
    AdminPolicy.requireRule(caller.context(), "volume_extension:quota_classes:get");
    Map<String, Object> set = new LinkedHashMap<>(quotas.classLimits(quotaClass));
    set.put("id", quotaClass);
    return Map.of("quota_class_set", set);
  }

  @PUT
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Update a quota class (admin)")
  public Map<String, Object> update(@PathParam("quota_class") String quotaClass, byte[] body) {
    AdminPolicy.requireRule(caller.context(), "volume_extension:quota_classes:update");
    JsonNode request = JsonBody.parse(body);
    JsonNode set = request.isObject() ? request.get("quota_class_set") : null;
    if (set == null) {
      throw CinderFault.badRequest("'quota_class_set' is a required property");
    }
    if (!set.isObject()) {
      throw invalid("quota_class_set", set, set + " is not of type 'object'");
    }
    if (quotaClass.length() > 255) {
      throw CinderFault.badRequest(
          "Invalid input received: quota_class_name has "
              + quotaClass.length()
              + " characters, more than 255.");
    }
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : set.properties()) {
      String key = field.getKey();
      if (!KEY.matcher(key).matches()) {
        throw invalid(
            "quota_class_set",
            set,
            "Additional properties are not allowed ('" + key + "' was unexpected)");
      }
      limits.put(key, limit(key, field.getValue()));
    }
    return Map.of("quota_class_set", quotas.setClassLimits(quotaClass, limits));
  }

  /** An integer from -1 up, or a string of digits, as Cinder's schema allows. */
  private static int limit(String key, JsonNode value) {
    if (value.isTextual()) {
      String text = value.asText();
      if (text.isEmpty()) {
        throw invalid(key, value, "'' is too short");
      }
      if (!DIGITS.matcher(text).matches()) {
        throw invalid(key, value, "'" + text + "' does not match '^[0-9]*$'");
      }
      return bounded(key, value, new java.math.BigInteger(text));
    }
    if (value.isIntegralNumber()) {
      return bounded(key, value, value.bigIntegerValue());
    }
    throw invalid(key, value, value + " is not of type 'integer', 'string'");
  }

  private static int bounded(String key, JsonNode value, java.math.BigInteger number) {
    if (number.compareTo(java.math.BigInteger.valueOf(-1)) < 0) {
      throw invalid(key, value, number + " is less than the minimum of -1");
    }
    if (number.compareTo(java.math.BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
      throw invalid(key, value, number + " is greater than the maximum of " + Integer.MAX_VALUE);
    }
    return number.intValue();
  }

  private static CinderFault invalid(String field, JsonNode value, String why) {
    return CinderFault.badRequest(
        "Invalid input for field/attribute "
            + field
            + ". Value: "
            + (value.isTextual() ? value.asText() : value.toString())
            + ". "
            + why);
  }
}
