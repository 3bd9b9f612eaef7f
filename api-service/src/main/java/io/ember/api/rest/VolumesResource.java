package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.attachment.Attachment;
import io.ember.api.attachment.AttachmentService;
import io.ember.api.attachment.NovaUsageCheck;
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
import io.ember.api.volumeops.VolumeManage;
import io.ember.api.volumeops.VolumeMigrations;
import io.ember.api.volumeops.VolumeService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
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
import java.util.UUID;
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
  @Inject VolumeMigrations migrations;
  @Inject ImageUploads uploads;
  @Inject Retypes retypes;
  @Inject VolumeManage manage;
  @Inject SnapshotService snapshots;
  @Inject VolumeQuery query;
  @Inject VolumeTypeCatalog types;
  @Inject AttachmentService attachments;
  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Create a volume: 202, then it goes from creating to available or error")
  @APIResponse(responseCode = "202", description = "Accepted: the volume, in creating")
  public Response create(byte[] body) {
    var context = caller.context();
    var request = JsonBody.parse(body);
    if (!caller.version().atLeast(13)
        && request.path("volume") instanceof com.fasterxml.jackson.databind.node.ObjectNode v) {
      v.remove("group_id"); // Cinder reads group_id from 3.13 on only
    }
    Volume volume = volumes.create(request, context);
    // A volume just made has no attachments: no query for them.
    VolumeView view = view().with(types::isMultiattach, Map.of());
    return Response.accepted(Map.of("volume", view.created(volume))).build();
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
    return page(projectId, "/detail", null);
  }

  @GET
  @Path("summary")
  @Operation(summary = "Count and total size of the project's volumes (3.12; metadata 3.36)")
  public Map<String, Object> summary() {
    if (!caller.version().atLeast(12)) {
      // Before 3.12 Cinder has no such route: "summary" is taken for a volume id.
      return show("summary");
    }
    VolumeQuery.Summary summary = query.summary(caller.context(), uri.getQueryParameters());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("total_size", summary.size());
    body.put("total_count", summary.count());
    if (caller.version().atLeast(36)) {
      body.put("metadata", summary.metadata());
    }
    return Map.of("volume-summary", body);
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show a volume")
  public Map<String, Object> show(@PathParam("id") String id) {
    Volume volume = volumes.show(id, caller.context());
    return Map.of("volume", view(List.of(volume)).detail(volume));
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Update a volume's name, description or metadata")
  public Map<String, Object> update(@PathParam("id") String id, byte[] body) {
    Volume volume = volumes.update(id, JsonBody.parse(body), caller.context());
    return Map.of("volume", view(List.of(volume)).created(volume));
  }

  /**
   * {@code POST /volumes/{id}/action}: the body names one action. Ember has the admin ways out of a
   * stuck status; any other action is refused as Cinder refuses an unknown one.
   */
  @POST
  @Path("{id}/action")
  @Blocking
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary =
          "Run a volume action: os-extend, os-set_bootable, os-update_readonly_flag,"
              + " os-volume_upload_image, os-retype; os-unmanage (admin); the"
              + " legacy attach actions (os-reserve, os-unreserve, os-begin_detaching,"
              + " os-roll_detaching, os-initialize_connection, os-attach, os-detach,"
              + " os-terminate_connection); os-reset_status, os-force_delete, os-force_detach or"
              + " os-migrate_volume, os-migrate_volume_completion (admin)")
  @APIResponse(responseCode = "202", description = "Accepted")
  @APIResponse(
      responseCode = "200",
      description =
          "os-set_bootable: done; os-initialize_connection: the connection_info;"
              + " os-migrate_volume_completion: the id the volume keeps")
  public Uni<Response> action(@PathParam("id") String id, byte[] body) {
    JsonNode request = JsonBody.parse(body);
    if (!request.isObject() || request.size() != 1) {
      throw CinderFault.badRequest("Malformed request body");
    }
    String action = request.fieldNames().next();
    switch (action) {
      case "os-reset_status" ->
          volumes.resetStatus(id, StatusReset.parse(request.get(action)), caller.context());
      case "os-force_delete" -> volumes.forceDelete(id, caller.context());
      case "os-migrate_volume" ->
          migrations.migrate(id, request, caller.version().atLeast(16), caller.context());
      case "os-migrate_volume_completion" -> {
        return migrations
            .complete(id, request, caller.context())
            .map(saved -> Response.ok(Map.of("save_volume_id", saved)).build());
      }
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
        return Uni.createFrom().item(Response.ok().build());
      }
      case "os-reserve" -> attachments.reserve(id, caller.context());
      case "os-unreserve" -> attachments.unreserve(id, caller.context());
      case "os-begin_detaching" -> attachments.beginDetaching(id, caller.context());
      case "os-roll_detaching" -> attachments.rollDetaching(id, caller.context());
      case "os-initialize_connection" -> {
        return attachments
            .initializeConnection(id, request.get(action), caller.context())
            .map(info -> Response.ok(info).build());
      }
      case "os-terminate_connection" -> {
        return accepted(
            attachments.terminateConnection(
                id, request.get(action), caller.context(), requester()));
      }
      case "os-attach" -> {
        return accepted(attachments.attach(id, request.get(action), caller.context()));
      }
      case "os-detach" -> {
        return accepted(
            attachments.detach(id, request.get(action), caller.context(), false, requester()));
      }
      case "os-force_detach" -> {
        return accepted(
            attachments.detach(id, request.get(action), caller.context(), true, requester()));
      }
      case "os-update_readonly_flag" ->
          volumes.updateReadonlyFlag(
              id,
              VolumeFields.flag("readonly", VolumeFields.actionField(request, action, "readonly")),
              caller.context());
      case "os-volume_upload_image" -> {
        Response uploading =
            Response.accepted(
                    Map.of(
                        action,
                        uploads.upload(
                            id,
                            request,
                            caller.version().atLeast(1),
                            caller.isAdmin(),
                            caller.context())))
                .build();
        return Uni.createFrom().item(uploading);
      }
      case "os-retype" -> retypes.retype(id, request, caller.context());
      case "os-unmanage" -> manage.unmanage(id, caller.context());
      default -> throw noSuchAction(action);
    }
    return Uni.createFrom().item(Response.accepted().build());
  }

  private static Uni<Response> accepted(Uni<Void> done) {
    return done.map(nothing -> Response.accepted().build());
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
    // The detail list (render null) shows each volume's attachments: read for the page at once.
    Function<Volume, Map<String, Object>> shown =
        render != null ? render : view(page.volumes())::detail;
    List<Map<String, Object>> items = page.volumes().stream().map(shown).toList();
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

  /**
   * The view, with the attachments of {@code shown}. Only a volume whose attach_status is {@code
   * attached} can have one to show (every change of its attachments settles it, an admin's reset to
   * detached removes them), so a GET of a detached volume, every poll of a create, reads none.
   */
  private VolumeView view(List<Volume> shown) {
    List<UUID> attached =
        shown.stream()
            .filter(v -> Attachment.ATTACHED.equals(v.attachStatus))
            .map(v -> v.id)
            .toList();
    return view().with(types::isMultiattach, attachments.shownOn(attached));
  }

  private VolumeView view() {
    return new VolumeView(
        uri.getBaseUri(), caller.version(), caller.isAdmin(), types::nameOf, types::isEncrypted);
  }

  /** Who asks to end an attachment: Nova (a service) or a user, whom Nova is asked about. */
  private NovaUsageCheck.Requester requester() {
    return new NovaUsageCheck.Requester(caller.isServiceRequest(), caller.authToken());
  }
}
