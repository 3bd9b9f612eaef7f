package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.group.Group;
import io.ember.api.group.GroupService;
import io.ember.api.paging.MarkerPage;
import io.ember.api.paging.QueryParams;
import io.ember.api.type.VolumeTypeFields;
import io.ember.api.view.GroupView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v3/{project_id}/groups}: generic volume groups (Cinder's groups API, 3.13 on). */
@Path("/v3/{project_id}/groups")
@Tag(name = "groups", description = "Generic volume groups (3.13).")
@Produces(MediaType.APPLICATION_JSON)
public class GroupsResource {

  /** The microversion groups came with ({@code mv.GROUP_VOLUME}). */
  private static final int SINCE = 13;

  @Inject Caller caller;
  @Inject GroupService groups;
  @Context UriInfo uri;

  @GET
  @Operation(summary = "List the project's groups (id and name)")
  public Map<String, Object> list(@PathParam("project_id") String projectId) {
    return page(projectId, "groups", GroupView::summary);
  }

  @GET
  @Path("detail")
  @Operation(summary = "List the project's groups with details")
  public Map<String, Object> detail(@PathParam("project_id") String projectId) {
    GroupView view = view();
    return page(projectId, "groups/detail", view::detail);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Create a group of a group type and volume types: creating, then available")
  @APIResponse(responseCode = "202", description = "Accepted: the group's id and name")
  public Response create(byte[] body) {
    since(SINCE);
    Group group = groups.create(JsonBody.parse(body), caller.context());
    return Response.accepted(Map.of("group", GroupView.summary(group))).build();
  }

  /** {@code POST /groups/action}: {@code create-from-src} (3.14), the only action on the list. */
  @POST
  @Path("action")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary =
          "Create a group from a group snapshot or a source group (3.14): a volume per snapshot or"
              + " volume of the source")
  @APIResponse(responseCode = "202", description = "Accepted: the group's id and name")
  public Response createFromSource(byte[] body) {
    since(14);
    JsonNode request = JsonBody.parse(body);
    if (request != null
        && request.isObject()
        && request.size() == 1
        && !request.has("create-from-src")) {
      String action = request.fieldNames().next();
      throw CinderFault.badRequest(
          "There is no such action: "
              + action
              + ". Verify the request body and Content-Type header and try again.");
    }
    Group group = groups.createFromSource(request, caller.context());
    return Response.accepted(Map.of("group", GroupView.summary(group))).build();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show a group")
  public Map<String, Object> show(@PathParam("id") String id) {
    since(SINCE);
    return Map.of("group", view().detail(groups.show(id, caller.context())));
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary = "Update a group's name, description or volumes (add_volumes, remove_volumes)")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response update(@PathParam("id") String id, byte[] body) {
    since(SINCE);
    groups.update(id, JsonBody.parse(body), caller.context());
    return Response.accepted().build();
  }

  /** {@code POST /groups/{id}/action}: {@code delete} or {@code reset_status} (3.20, admin). */
  @POST
  @Path("{id}/action")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Delete a group (delete-volumes) or reset its status (3.20, admin)")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response action(@PathParam("id") String id, byte[] body) {
    since(SINCE);
    JsonNode request = JsonBody.parse(body);
    if (request == null || !request.isObject() || request.size() != 1) {
      throw CinderFault.badRequest("Malformed request body");
    }
    String action = request.fieldNames().next();
    JsonNode argument = request.get(action);
    switch (action) {
      case "delete" -> {
        JsonNode flag = argument == null ? null : argument.get("delete-volumes");
        boolean deleteVolumes =
            flag != null && !flag.isNull() && VolumeTypeFields.bool("delete-volumes", flag);
        groups.delete(id, deleteVolumes, caller.context());
      }
      case "reset_status" -> {
        since(20);
        groups.resetStatus(id, argument, caller.context());
      }
      default ->
          throw CinderFault.badRequest(
              "There is no such action: "
                  + action
                  + ". Verify the request body and Content-Type header and try again.");
    }
    return Response.accepted().build();
  }

  private Map<String, Object> page(
      String projectId, String path, Function<Group, Map<String, Object>> render) {
    since(SINCE);
    MarkerPage<Group> page = groups.list(caller.context(), uri.getQueryParameters());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("groups", page.items().stream().map(render).toList());
    if (page.hasNext()) {
      Group last = page.items().get(page.items().size() - 1);
      body.put(
          "group_links",
          List.of(
              Map.of(
                  "rel",
                  "next",
                  "href",
                  uri.getBaseUri()
                      + "v3/"
                      + projectId
                      + "/"
                      + path
                      + "?limit="
                      + page.items().size()
                      + "&marker="
                      + last.id)));
    }
    return body;
  }

  private GroupView view() {
    return new GroupView(
        caller.version(),
        caller.isAdmin(),
        QueryParams.truthy(uri.getQueryParameters().getFirst("list_volume")),
        groups::volumeIds);
  }

  /** Below its microversion the resource or action does not exist, as in Cinder. */
  private void since(int minor) {
    if (!caller.version().atLeast(minor)) {
      throw new NotFoundException();
    }
  }
}
