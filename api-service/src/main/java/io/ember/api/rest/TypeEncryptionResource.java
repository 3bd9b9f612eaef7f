package io.ember.api.rest;

import io.ember.api.auth.Caller;
import io.ember.api.type.EncryptionTypeService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.view.EncryptionTypeView;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v3/{project_id}/types/{id}/encryption}: a volume type's encryption type (Cinder's {@code
 * volume_type_encryption} extension). {@code {key}} is a field name for a GET and the encryption id
 * for a PUT or DELETE, where Cinder does not check it (cinderclient sends {@code provider}).
 */
@Path("/v3/{project_id}/types/{id}/encryption")
@Tag(name = "types")
@Produces(MediaType.APPLICATION_JSON)
public class TypeEncryptionResource {

  @Inject Caller caller;
  @Inject EncryptionTypeService encryption;
  @Inject VolumeTypeCatalog catalog;

  @GET
  @Operation(summary = "Show a volume type's encryption type ({} when it has none) (admin)")
  public Map<String, Object> show(@PathParam("id") String id) {
    return EncryptionTypeView.record(encryption.show(id, caller.context()));
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Create a volume type's encryption type while no volume has the type (admin)")
  @APIResponse(responseCode = "200", description = "The encryption type")
  public Map<String, Object> create(@PathParam("id") String id, byte[] body) {
    EncryptionTypeService.Created created =
        encryption.create(id, JsonBody.parse(body), caller.context());
    catalog.invalidate();
    return Map.of("encryption", created.given());
  }

  @GET
  @Path("{key}")
  @Operation(summary = "Show one field of a volume type's encryption type (admin)")
  public Map<String, Object> field(@PathParam("id") String id, @PathParam("key") String key) {
    Map<String, Object> record = EncryptionTypeView.record(encryption.show(id, caller.context()));
    if (!record.containsKey(key)) {
      throw EncryptionTypeService.notFound(id);
    }
    Map<String, Object> one = new LinkedHashMap<>();
    one.put(key, record.get(key));
    return one;
  }

  @PUT
  @Path("{key}")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Update a volume type's encryption type while no volume has the type (admin)")
  @APIResponse(responseCode = "200", description = "The fields changed")
  public Map<String, Object> update(
      @PathParam("id") String id, @PathParam("key") String key, byte[] body) {
    Map<String, Object> given = encryption.update(id, key, JsonBody.parse(body), caller.context());
    catalog.invalidate();
    return Map.of("encryption", given);
  }

  @DELETE
  @Path("{key}")
  @Operation(
      summary = "Delete a volume type's encryption type while no volume has the type (admin)")
  @APIResponse(responseCode = "202", description = "Deleted")
  public Response delete(@PathParam("id") String id) {
    encryption.delete(id, caller.context());
    catalog.invalidate();
    return Response.accepted().build();
  }
}
