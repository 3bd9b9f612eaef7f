package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.type.VolumeType;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.type.VolumeTypeService;
import io.ember.api.view.VolumeTypeView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v3/{project_id}/types}: Cinder's volume types, their extra specs ({@code
 * types_extra_specs}) and type access ({@code os-volume-type-access}).
 */
@Path("/v3/{project_id}/types")
@Tag(
    name = "types",
    description = "Volume types, extra specs and type access (Cinder's types API).")
@Produces(MediaType.APPLICATION_JSON)
public class TypesResource {

  @Inject Caller caller;
  @Inject VolumeTypeService types;
  @Inject VolumeTypeCatalog catalog;
  @Context UriInfo uri;

  @GET
  @Operation(
      summary = "List the volume types the caller may see; filters, sort and paging as Cinder")
  public Map<String, Object> list(@PathParam("project_id") String projectId) {
    VolumeTypeService.Page page = types.list(caller.context(), uri.getQueryParameters());
    Map<String, Object> body = view().list(page.types());
    if (page.hasNext()) {
      VolumeType last = page.types().get(page.types().size() - 1);
      String href =
          uri.getBaseUri()
              + "v3/"
              + projectId
              + "/types?limit="
              + page.types().size()
              + "&marker="
              + last.id;
      body.put("volume_type_links", List.of(Map.of("rel", "next", "href", href)));
    }
    return body;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Create a volume type (admin)")
  @APIResponse(responseCode = "200", description = "The type")
  public Map<String, Object> create(byte[] body) {
    VolumeType type = types.create(JsonBody.parse(body), caller.context());
    catalog.invalidate();
    return Map.of("volume_type", view().created(type));
  }

  @GET
  @Path("default")
  @Operation(summary = "Show the default volume type")
  public Map<String, Object> defaultType() {
    return Map.of("volume_type", view().defaultType(types.defaultType()));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show a volume type (by id)")
  public Map<String, Object> show(@PathParam("id") String id) {
    return Map.of("volume_type", view().show(types.show(id, caller.context())));
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Update a volume type's name, description or is_public (admin)")
  public Map<String, Object> update(@PathParam("id") String id, byte[] body) {
    VolumeType type = types.update(id, JsonBody.parse(body), caller.context());
    catalog.invalidate();
    return Map.of("volume_type", view().updated(type));
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a volume type no volume uses (admin)")
  @APIResponse(responseCode = "202", description = "Deleted")
  public Response delete(@PathParam("id") String id) {
    types.delete(id, caller.context());
    catalog.invalidate();
    return Response.accepted().build();
  }

  @GET
  @Path("{id}/extra_specs")
  @Operation(summary = "List a volume type's extra specs")
  public Map<String, Object> extraSpecs(@PathParam("id") String id) {
    return Map.of("extra_specs", types.extraSpecs(id, caller.context()));
  }

  @POST
  @Path("{id}/extra_specs")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Set extra specs of a volume type (admin)")
  @APIResponse(responseCode = "200", description = "The specs set")
  public Map<String, Object> setExtraSpecs(@PathParam("id") String id, byte[] body) {
    Map<String, String> specs = types.setExtraSpecs(id, JsonBody.parse(body), caller.context());
    catalog.invalidate();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("extra_specs", specs);
    return answer;
  }

  @GET
  @Path("{id}/extra_specs/{key}")
  @Operation(summary = "Show one extra spec of a volume type")
  public Map<String, String> extraSpec(@PathParam("id") String id, @PathParam("key") String key) {
    return types.extraSpec(id, key, caller.context());
  }

  @PUT
  @Path("{id}/extra_specs/{key}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Set one extra spec of a volume type (admin)")
  public Map<String, String> updateExtraSpec(
      @PathParam("id") String id, @PathParam("key") String key, byte[] body) {
    Map<String, String> spec =
        types.updateExtraSpec(id, key, JsonBody.parse(body), caller.context());
    catalog.invalidate();
    return spec;
  }

  @DELETE
  @Path("{id}/extra_specs/{key}")
  @Operation(summary = "Remove one extra spec of a volume type (admin)")
  @APIResponse(responseCode = "202", description = "Removed")
  public Response deleteExtraSpec(@PathParam("id") String id, @PathParam("key") String key) {
    types.deleteExtraSpec(id, key, caller.context());
    catalog.invalidate();
    return Response.accepted().build();
  }

  /** {@code POST /types/{id}/action}: {@code addProjectAccess} or {@code removeProjectAccess}. */
  @POST
  @Path("{id}/action")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Add or remove a project's access to a private volume type (admin)")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response action(@PathParam("id") String id, byte[] body) {
    JsonNode request = JsonBody.parse(body);
    if (!request.isObject() || request.size() != 1) {
      throw CinderFault.badRequest("Malformed request body");
    }
    String action = request.fieldNames().next();
    switch (action) {
      case "addProjectAccess" -> types.addAccess(id, request.get(action), caller.context());
      case "removeProjectAccess" -> types.removeAccess(id, request.get(action), caller.context());
      default ->
          throw CinderFault.badRequest(
              "There is no such action: "
                  + action
                  + ". Verify the request body and Content-Type header and try again.");
    }
    catalog.invalidate();
    return Response.accepted().build();
  }

  @GET
  @Path("{id}/os-volume-type-access")
  @Operation(summary = "List the projects that may use a private volume type (admin)")
  public Map<String, Object> access(@PathParam("id") String id) {
    var projects = types.accessList(id, caller.context());
    return Map.of(
        "volume_type_access",
        projects.stream().map(p -> Map.of("volume_type_id", id, "project_id", p)).toList());
  }

  private VolumeTypeView view() {
    return new VolumeTypeView(caller.isAdmin());
  }
}
