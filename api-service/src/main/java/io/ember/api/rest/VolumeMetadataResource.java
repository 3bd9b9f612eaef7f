package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.volume.VolumeFields;
import io.ember.api.volumeops.VolumeMetadataService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v3/{project_id}/volumes/{id}/metadata}: Cinder's volume metadata sub-resource. */
@Path("/v3/{project_id}/volumes/{id}/metadata")
@Tag(name = "volume metadata", description = "A volume's key/value metadata.")
@Produces(MediaType.APPLICATION_JSON)
public class VolumeMetadataResource {

  @Inject Caller caller;
  @Inject VolumeMetadataService metadata;

  @GET
  @Operation(summary = "Show a volume's metadata")
  public Map<String, Object> index(@PathParam("id") String id) {
    return Map.of("metadata", metadata.all(id, caller.context()));
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Add or change keys; the others stay")
  public Map<String, Object> create(@PathParam("id") String id, byte[] body) {
    Map<String, String> given = metadataOf(JsonBody.parse(body));
    return Map.of("metadata", metadata.update(id, given, false, caller.context()));
  }

  @PUT
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Replace all the metadata")
  public Map<String, Object> updateAll(@PathParam("id") String id, byte[] body) {
    Map<String, String> given = metadataOf(JsonBody.parse(body));
    return Map.of("metadata", metadata.update(id, given, true, caller.context()));
  }

  @GET
  @Path("{key}")
  @Operation(summary = "Show one key")
  public Map<String, Object> show(@PathParam("id") String id, @PathParam("key") String key) {
    return Map.of("meta", metadata.one(id, key, caller.context()));
  }

  @PUT
  @Path("{key}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Set one key; the body names the same key")
  public Map<String, Object> update(
      @PathParam("id") String id, @PathParam("key") String key, byte[] body) {
    JsonNode request = JsonBody.parse(body);
    JsonNode meta = request.isObject() ? request.get("meta") : null;
    if (meta == null) {
      throw CinderFault.badRequest("'meta' is a required property");
    }
    requireOnlyKey(request, "meta");
    Map<String, String> item = VolumeFields.metadata(meta, "meta");
    if (item.isEmpty()) {
      throw VolumeFields.invalidField("meta", meta, "{} does not have enough properties");
    }
    if (item.size() > 1) {
      throw VolumeFields.invalidField("meta", meta, meta + " has too many properties");
    }
    if (!item.containsKey(key)) {
      throw CinderFault.badRequest("Request body and URI mismatch");
    }
    metadata.update(id, item, false, caller.context());
    return Map.of("meta", item);
  }

  @DELETE
  @Path("{key}")
  @Operation(summary = "Delete one key")
  public Response delete(@PathParam("id") String id, @PathParam("key") String key) {
    metadata.delete(id, key, caller.context());
    return Response.ok().build();
  }

  /** The {@code metadata} of a body, checked as Cinder's schema (keys, values, nothing else). */
  private static Map<String, String> metadataOf(JsonNode request) {
    JsonNode given = request.isObject() ? request.get("metadata") : null;
    if (given == null) {
      throw CinderFault.badRequest("'metadata' is a required property");
    }
    requireOnlyKey(request, "metadata");
    if (given.isNull()) {
      throw VolumeFields.invalidField("metadata", given, "None is not of type 'object'");
    }
    return VolumeFields.metadata(given);
  }

  private static void requireOnlyKey(JsonNode request, String key) {
    for (String name : (Iterable<String>) request::fieldNames) {
      if (!name.equals(key)) {
        throw CinderFault.badRequest(
            "Additional properties are not allowed ('"
                + io.ember.api.fault.Echo.cap(name)
                + "' was unexpected)");
      }
    }
  }
}
