package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.snapshot.Snapshot;
import io.ember.api.snapshot.SnapshotFields;
import io.ember.api.snapshot.SnapshotQuery;
import io.ember.api.snapshot.SnapshotService;
import io.ember.api.view.SnapshotView;
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
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v3/{project_id}/snapshots}: Cinder's snapshots resource, its metadata and actions. */
@Path("/v3/{project_id}/snapshots")
@Tag(name = "snapshots", description = "Snapshots of volumes (Cinder's snapshots API).")
@Produces(MediaType.APPLICATION_JSON)
public class SnapshotsResource {

  @Inject Caller caller;
  @Inject SnapshotService snapshots;
  @Inject SnapshotQuery query;
  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Take a snapshot of a volume: 202, then creating until available or error")
  @APIResponse(responseCode = "202", description = "Accepted: the snapshot, in creating")
  public Response create(byte[] body) {
    Snapshot snapshot = snapshots.create(JsonBody.parse(body), caller.context(), caller.version());
    return Response.accepted(Map.of("snapshot", view().detail(snapshot))).build();
  }

  @GET
  @Operation(summary = "List snapshots; filters, sort and paging as Cinder")
  public Map<String, Object> list(@PathParam("project_id") String projectId) {
    return page(projectId, "", view()::summary);
  }

  @GET
  @Path("detail")
  @Operation(summary = "List snapshots with details")
  public Map<String, Object> detail(@PathParam("project_id") String projectId) {
    return page(projectId, "/detail", view()::extended);
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show a snapshot")
  public Map<String, Object> show(@PathParam("id") String id) {
    return Map.of("snapshot", view().extended(snapshots.show(id, caller.context())));
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Update a snapshot's name or description")
  public Map<String, Object> update(@PathParam("id") String id, byte[] body) {
    return Map.of(
        "snapshot", view().detail(snapshots.update(id, JsonBody.parse(body), caller.context())));
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a snapshot: 202, then deleting until it is gone")
  @APIResponse(responseCode = "202", description = "Accepted: the snapshot is deleting")
  public Response delete(@PathParam("id") String id) {
    snapshots.delete(id, caller.context());
    return Response.accepted().build();
  }

  /**
   * {@code POST /snapshots/{id}/action}: the admin's os-reset_status and os-force_delete; the
   * owner's os-update_snapshot_status.
   */
  @POST
  @Path("{id}/action")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary =
          "Run a snapshot action: os-reset_status, os-force_delete or os-unmanage (admin),"
              + " os-update_snapshot_status")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response action(@PathParam("id") String id, byte[] body) {
    JsonNode request = JsonBody.parse(body);
    if (!request.isObject() || request.size() != 1) {
      throw CinderFault.badRequest("Malformed request body");
    }
    String action = request.fieldNames().next();
    switch (action) {
      case "os-reset_status" -> snapshots.resetStatus(id, request.get(action), caller.context());
      case "os-force_delete" -> snapshots.forceDelete(id, caller.context());
      case "os-unmanage" -> snapshots.unmanage(id, caller.context());
      case "os-update_snapshot_status" ->
          snapshots.updateStatus(id, request.get(action), caller.context());
      default ->
          throw CinderFault.badRequest(
              "There is no such action: "
                  + Echo.cap(action)
                  + ". Verify the request body and Content-Type header and try again.");
    }
    return Response.accepted().build();
  }

  @GET
  @Path("{id}/metadata")
  @Operation(summary = "A snapshot's metadata")
  public Map<String, Object> metadata(@PathParam("id") String id) {
    return Map.of("metadata", snapshots.metadata(id, caller.context()));
  }

  @POST
  @Path("{id}/metadata")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Add to a snapshot's metadata (keys given replace theirs)")
  public Map<String, Object> addMetadata(@PathParam("id") String id, byte[] body) {
    var metadata = SnapshotFields.metadataBody(JsonBody.parse(body));
    return Map.of("metadata", snapshots.setMetadata(id, metadata, false, caller.context()));
  }

  @PUT
  @Path("{id}/metadata")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Replace a snapshot's metadata")
  public Map<String, Object> replaceMetadata(@PathParam("id") String id, byte[] body) {
    var metadata = SnapshotFields.metadataBody(JsonBody.parse(body));
    return Map.of("metadata", snapshots.setMetadata(id, metadata, true, caller.context()));
  }

  @GET
  @Path("{id}/metadata/{key}")
  @Operation(summary = "One item of a snapshot's metadata")
  public Map<String, Object> metadataItem(
      @PathParam("id") String id, @PathParam("key") String key) {
    Map<String, String> item = new LinkedHashMap<>();
    item.put(key, snapshots.metadataItem(id, key, caller.context()));
    return Map.of("meta", item);
  }

  @PUT
  @Path("{id}/metadata/{key}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Set one item of a snapshot's metadata")
  public Map<String, Object> setMetadataItem(
      @PathParam("id") String id, @PathParam("key") String key, byte[] body) {
    var item = SnapshotFields.metaItem(JsonBody.parse(body), key);
    snapshots.setMetadata(id, item, false, caller.context());
    return Map.of("meta", item);
  }

  @DELETE
  @Path("{id}/metadata/{key}")
  @Operation(summary = "Delete one item of a snapshot's metadata")
  public Response deleteMetadataItem(@PathParam("id") String id, @PathParam("key") String key) {
    snapshots.deleteMetadataItem(id, key, caller.context());
    return Response.ok().build();
  }

  private Map<String, Object> page(
      String projectId, String collection, Function<Snapshot, Map<String, Object>> render) {
    boolean withCount =
        caller.version().atLeast(45)
            && Boolean.parseBoolean(uri.getQueryParameters().getFirst("with_count"));
    SnapshotQuery.Page page =
        query.list(caller.context(), caller.version(), uri.getQueryParameters(), withCount);
    Map<String, Object> body = new LinkedHashMap<>();
    List<Map<String, Object>> items = page.snapshots().stream().map(render).toList();
    body.put("snapshots", items);
    if (page.hasNext()) {
      Snapshot last = page.snapshots().get(page.snapshots().size() - 1);
      body.put(
          "snapshots_links", view().nextLink(projectId, collection, last, page.snapshots().size()));
    }
    if (page.count() != null) {
      body.put("count", page.count());
    }
    return body;
  }

  private SnapshotView view() {
    return new SnapshotView(uri.getBaseUri(), caller.version());
  }
}
