package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.snapshot.SnapshotService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.view.VolumeView;
import io.ember.api.volume.StatusReset;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeFields;
import io.ember.api.volume.VolumeQuery;
import io.ember.api.volumeops.ImageUploads;
import io.ember.api.volumeops.Retypes;
import io.ember.api.volumeops.VolumeService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

/** {@code /v3/{project_id}/volumes}: Cinder's volumes resource. */
@Path("/v3/{project_id}/volumes")
@Tag(name = "volumes", description = "Volumes of a project (Cinder's volumes API).")
@Produces(MediaType.APPLICATION_JSON)
public class VolumesResource {

  @Inject Caller caller;
  @Inject VolumeService volumes;
  @Inject ImageUploads uploads;
  @Inject Retypes retypes;
  @Inject SnapshotService snapshots;
  @Inject VolumeQuery query;
  @Inject VolumeTypeCatalog types;
  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Create a volume: 202, then it goes from creating to available or error")
  @APIResponse(responseCode = "202", description = "Accepted: the volume, in creating")
  public Response create(byte[] body) {
    var context = caller.context();
    var request = JsonBody.parse(body);
    Volume volume = volumes.create(request, context);
    return Response.accepted(Map.of("volume", view().created(volume))).build();
  }

  @GET
  @Operation(summary = "List volumes (id, name, links); filters, sort and paging as Cinder")
  public Map<String, Object> list(@PathParam("project_id") String projectId) {
    return page(projectId, "", view()::summary);
  }

  @GET
  @Path("detail")
  @Operation(summary = "List volumes with details")
  public Map<String, Object> detail(@PathParam("project_id") String projectId) {
    return page(projectId, "/detail", view()::detail);
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show a volume")
  public Map<String, Object> show(@PathParam("id") String id) {
    return Map.of("volume", view().detail(volumes.show(id, caller.context())));
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Update a volume's name, description or metadata")
  public Map<String, Object> update(@PathParam("id") String id, byte[] body) {
    return Map.of(
        "volume", view().created(volumes.update(id, JsonBody.parse(body), caller.context())));
  }

  /**
   * {@code POST /volumes/{id}/action}: the body names one action. Ember has the admin ways out of a
   * stuck status; any other action is refused as Cinder refuses an unknown one.
   */
  @POST
  @Path("{id}/action")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary =
          "Run a volume action: os-extend, os-set_bootable, os-update_readonly_flag,"
              + " os-volume_upload_image, os-retype;"
              + " os-reset_status or os-force_delete (admin)")
  @APIResponse(
      responseCode = "202",
      description = "Accepted (os-volume_upload_image: with its os-volume_upload_image object)")
  @APIResponse(responseCode = "200", description = "os-set_bootable: done")
  public Response action(@PathParam("id") String id, byte[] body) {
    JsonNode request = JsonBody.parse(body);
    if (!request.isObject() || request.size() != 1) {
      throw CinderFault.badRequest("Malformed request body");
    }
    String action = request.fieldNames().next();
    switch (action) {
      case "os-reset_status" ->
          volumes.resetStatus(id, StatusReset.parse(request.get(action)), caller.context());
      case "os-force_delete" -> volumes.forceDelete(id, caller.context());
      case "revert" -> {
        if (!caller.version().atLeast(40)) {
          throw noSuchAction(action);
        }
        snapshots.revert(id, request.get(action), caller.context());
      }
      case "os-extend" ->
          volumes.extend(
              id,
              VolumeFields.size("new_size", VolumeFields.actionField(request, action, "new_size")),
              caller.version().atLeast(42),
              caller.context());
      case "os-set_bootable" -> {
        boolean bootable =
            VolumeFields.flag("bootable", VolumeFields.actionField(request, action, "bootable"));
        volumes.setBootable(id, bootable, caller.context());
        return Response.ok().build();
      }
      case "os-update_readonly_flag" ->
          volumes.updateReadonlyFlag(
              id,
              VolumeFields.flag("readonly", VolumeFields.actionField(request, action, "readonly")),
              caller.context());
      case "os-volume_upload_image" -> {
        return Response.accepted(
                Map.of(
                    action,
                    uploads.upload(
                        id,
                        request,
                        caller.version().atLeast(1),
                        caller.isAdmin(),
                        caller.context())))
            .build();
      }
      case "os-retype" -> retypes.retype(id, request, caller.context());
      default -> throw noSuchAction(action);
    }
    return Response.accepted().build();
  }

  /** Cinder's {@code get_bool_param}: absent is false; anything but a boolean word is a 400. */
  private static boolean boolParam(String name, String value) {
    if (value == null) {
      return false;
    }
    String word = value.toLowerCase(java.util.Locale.ROOT);
    if (List.of("1", "t", "true", "on", "y", "yes").contains(word)) {
      return true;
    }
    if (List.of("0", "f", "false", "off", "n", "no").contains(word)) {
      return false;
    }
    throw CinderFault.badRequest(
        "Value '" + Echo.cap(value) + "' for '" + name + "' is not a boolean.");
  }

  private static CinderFault noSuchAction(String action) {
    return CinderFault.badRequest(
        "There is no such action: "
            + Echo.cap(action)
            + ". Verify the request body and Content-Type header and try again.");
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a volume: 202, then deleting until it is gone")
  @APIResponse(responseCode = "202", description = "Accepted: the volume is deleting")
  public Response delete(@PathParam("id") String id, @QueryParam("cascade") String cascade) {
    if (boolParam("cascade", cascade)) {
      volumes.deleteCascade(id, caller.context());
    } else {
      volumes.delete(id, caller.context());
    }
    return Response.accepted().build();
  }

  private Map<String, Object> page(
      String projectId, String collection, Function<Volume, Map<String, Object>> render) {
    boolean withCount =
        caller.version().atLeast(45)
            && Boolean.parseBoolean(uri.getQueryParameters().getFirst("with_count"));
    VolumeQuery.Page page =
        query.list(caller.context(), caller.version(), uri.getQueryParameters(), withCount);
    Map<String, Object> body = new LinkedHashMap<>();
    List<Map<String, Object>> items = page.volumes().stream().map(render).toList();
    body.put("volumes", items);
    if (page.hasNext()) {
      Volume last = page.volumes().get(page.volumes().size() - 1);
      body.put(
          "volumes_links", view().nextLink(projectId, collection, last, page.volumes().size()));
    }
    if (page.count() != null) {
      body.put("count", page.count());
    }
    return body;
  }

  private VolumeView view() {
    return new VolumeView(
        uri.getBaseUri(), caller.version(), caller.isAdmin(), types::nameOf, types::isEncrypted);
  }
}
