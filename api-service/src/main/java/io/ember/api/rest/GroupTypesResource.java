package io.ember.api.rest;

import io.ember.api.auth.Caller;
import io.ember.api.paging.MarkerPage;
import io.ember.api.type.GroupType;
import io.ember.api.type.GroupTypeService;
import io.ember.api.view.GroupTypeView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
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
 * {@code /v3/{project_id}/group_types}: generic volume group types and their group specs (Cinder's
 * {@code group_types} and {@code group_specs} APIs, microversion 3.11 on).
 */
@Path("/v3/{project_id}/group_types")
@Tag(name = "group_types", description = "Group types and group specs (3.11).")
@Produces(MediaType.APPLICATION_JSON)
public class GroupTypesResource {

  /** The microversion group types came with ({@code mv.GROUP_TYPE}). */
  private static final int SINCE = 11;

  @Inject Caller caller;
  @Inject GroupTypeService types;
  @Context UriInfo uri;

  @GET
  @Operation(summary = "List group types (admins may filter on is_public); sort and paging")
  public Map<String, Object> list(@PathParam("project_id") String projectId) {
    since();
    MarkerPage<GroupType> page = types.list(caller.context(), uri.getQueryParameters());
    Map<String, Object> body = view().list(page.items());
    if (page.hasNext()) {
      GroupType last = page.items().get(page.items().size() - 1);
      String href =
          uri.getBaseUri()
              + "v3/"
              + projectId
              + "/group_types?limit="
              + page.items().size()
              + "&marker="
              + last.id;
      body.put("group_type_links", List.of(Map.of("rel", "next", "href", href)));
    }
    return body;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Create a group type (admin)")
  @APIResponse(responseCode = "202", description = "The group type")
  public Response create(byte[] body) {
    since();
    GroupType type = types.create(JsonBody.parse(body), caller.context());
    return Response.accepted(Map.of("group_type", view().show(type))).build();
  }

  @GET
  @Path("default")
  @Operation(summary = "Show the default group type (ember.default-group-type)")
  public Map<String, Object> defaultType() {
    since();
    return Map.of("group_type", view().show(types.defaultType()));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show a group type")
  public Map<String, Object> show(@PathParam("id") String id) {
    since();
    return Map.of("group_type", view().show(types.show(id, caller.context())));
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Update a group type's name, description or is_public (admin)")
  public Map<String, Object> update(@PathParam("id") String id, byte[] body) {
    since();
    return Map.of(
        "group_type", view().show(types.update(id, JsonBody.parse(body), caller.context())));
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a group type no group uses (admin)")
  @APIResponse(responseCode = "202", description = "Deleted")
  public Response delete(@PathParam("id") String id) {
    since();
    types.delete(id, caller.context());
    return Response.accepted().build();
  }

  @GET
  @Path("{id}/group_specs")
  @Operation(summary = "List a group type's specs (admin)")
  public Map<String, Object> specs(@PathParam("id") String id) {
    since();
    return Map.of("group_specs", types.specs(id, caller.context()));
  }

  @POST
  @Path("{id}/group_specs")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Set group specs of a group type (admin)")
  @APIResponse(responseCode = "202", description = "The specs set")
  public Response setSpecs(@PathParam("id") String id, byte[] body) {
    since();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("group_specs", types.setSpecs(id, JsonBody.parse(body), caller.context()));
    return Response.accepted(answer).build();
  }

  @GET
  @Path("{id}/group_specs/{key}")
  @Operation(summary = "Show one group spec (admin)")
  public Map<String, String> spec(@PathParam("id") String id, @PathParam("key") String key) {
    since();
    return types.spec(id, key, caller.context());
  }

  @PUT
  @Path("{id}/group_specs/{key}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Set one group spec (admin)")
  public Map<String, String> setSpec(
      @PathParam("id") String id, @PathParam("key") String key, byte[] body) {
    since();
    return types.setSpec(id, key, JsonBody.parse(body), caller.context());
  }

  @DELETE
  @Path("{id}/group_specs/{key}")
  @Operation(summary = "Remove one group spec (admin)")
  @APIResponse(responseCode = "202", description = "Removed")
  public Response deleteSpec(@PathParam("id") String id, @PathParam("key") String key) {
    since();
    types.deleteSpec(id, key, caller.context());
    return Response.accepted().build();
  }

  /** Below 3.11 the resource does not exist, as in Cinder. */
  private void since() {
    if (!caller.version().atLeast(SINCE)) {
      throw new NotFoundException();
    }
  }

  private GroupTypeView view() {
    return new GroupTypeView(caller.isAdmin());
  }
}
