package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.group.GroupSnapshot;
import io.ember.api.group.GroupSnapshotService;
import io.ember.api.paging.MarkerPage;
import io.ember.api.view.GroupSnapshotView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v3/{project_id}/group_snapshots}: snapshots of whole groups (3.14 on). */
@Path("/v3/{project_id}/group_snapshots")
@Tag(name = "group_snapshots", description = "Group snapshots (3.14).")
@Produces(MediaType.APPLICATION_JSON)
public class GroupSnapshotsResource {

  /** The microversion group snapshots came with ({@code mv.GROUP_SNAPSHOTS}). */
  private static final int SINCE = 14;

  @Inject Caller caller;
  @Inject GroupSnapshotService snapshots;
  @Context UriInfo uri;

  @GET
  @Operation(summary = "List the project's group snapshots (id and name)")
  public Map<String, Object> list() {
    return page(GroupSnapshotView::listed);
  }

  @GET
  @Path("detail")
  @Operation(summary = "List the project's group snapshots with details")
  public Map<String, Object> detail() {
    return page(s -> GroupSnapshotView.detail(s, caller.version(), caller.isAdmin()));
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Snapshot every volume of a group: creating, then available")
  @APIResponse(responseCode = "202", description = "Accepted: id, name and group type")
  public Response create(byte[] body) {
    since(SINCE);
    GroupSnapshot snapshot = snapshots.create(JsonBody.parse(body), caller.context());
    return Response.accepted(Map.of("group_snapshot", GroupSnapshotView.created(snapshot))).build();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show a group snapshot")
  public Map<String, Object> show(@PathParam("id") String id) {
    since(SINCE);
    return Map.of(
        "group_snapshot",
        GroupSnapshotView.detail(
            snapshots.show(id, caller.context()), caller.version(), caller.isAdmin()));
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a group snapshot and its snapshots")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response delete(@PathParam("id") String id) {
    since(SINCE);
    snapshots.delete(id, caller.context());
    return Response.accepted().build();
  }

  /** {@code POST /group_snapshots/{id}/action}: {@code reset_status} (3.19, admin). */
  @POST
  @Path("{id}/action")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Reset a group snapshot's status (3.19, admin)")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response action(@PathParam("id") String id, byte[] body) {
    since(19);
    JsonNode request = JsonBody.parse(body);
    if (request == null || !request.isObject() || !request.has("reset_status")) {
      throw CinderFault.badRequest("Malformed request body");
    }
    snapshots.resetStatus(id, request.get("reset_status"), caller.context());
    return Response.accepted().build();
  }

  private Map<String, Object> page(Function<GroupSnapshot, Map<String, Object>> render) {
    since(SINCE);
    MarkerPage<GroupSnapshot> page = snapshots.list(caller.context(), uri.getQueryParameters());
    List<Map<String, Object>> items = page.items().stream().map(render).toList();
    return Map.of("group_snapshots", items);
  }

  /** Below its microversion the resource or action does not exist, as in Cinder. */
  private void since(int minor) {
    if (!caller.version().atLeast(minor)) {
      throw new NotFoundException();
    }
  }
}
