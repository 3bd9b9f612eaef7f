package io.ember.api.rest;

import io.ember.api.attachment.AttachmentService;
import io.ember.api.auth.Caller;
import io.ember.api.snapshot.Snapshot;
import io.ember.api.snapshot.SnapshotService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.view.SnapshotView;
import io.ember.api.view.VolumeView;
import io.ember.api.volume.Volume;
import io.ember.api.volumeops.ManageableListing;
import io.ember.api.volumeops.VolumeManage;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Cinder's manage APIs (admin only by default): {@code /manageable_volumes} and {@code
 * /manageable_snapshots} (3.8), and their legacy forms {@code /os-volume-manage} and {@code
 * /os-snapshot-manage}. A manage request is answered 202 with the new entry; a listing asks the
 * named host, within the request-reply deadline.
 */
@Path("/v3/{project_id}")
@Tag(name = "manage", description = "Manage and list backend objects not managed by Ember.")
@Produces(MediaType.APPLICATION_JSON)
public class ManageableResource {

  @Inject Caller caller;
  @Inject VolumeManage manage;
  @Inject SnapshotService snapshots;
  @Inject ManageableListing listing;
  @Inject VolumeTypeCatalog types;
  @Inject AttachmentService attachments;
  @Context UriInfo uri;

  @POST
  @Path("manageable_volumes")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Manage a backend object as a new volume (3.8): managing, then available")
  @APIResponse(responseCode = "202", description = "Accepted: the volume, in creating")
  public Response manageVolume(byte[] body) {
    since(8);
    return manageVolumeLegacy(body);
  }

  @POST
  @Path("os-volume-manage")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Manage a backend object as a new volume (legacy)")
  @APIResponse(responseCode = "202", description = "Accepted: the volume, in creating")
  public Response manageVolumeLegacy(byte[] body) {
    Volume volume = manage.manage(JsonBody.parse(body), caller.context(), caller.version());
    VolumeView view =
        new VolumeView(
                uri.getBaseUri(),
                caller.version(),
                caller.isAdmin(),
                types::nameOf,
                types::isEncrypted)
            .with(types::isMultiattach, attachments.shownOn(List.of(volume.id)));
    return Response.accepted(Map.of("volume", view.detail(volume))).build();
  }

  @GET
  @Path("manageable_volumes")
  @Operation(summary = "The backend objects of a host (host=) that could be managed (3.8)")
  public Uni<Map<String, Object>> listVolumes() {
    since(8);
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), false, false);
  }

  @GET
  @Path("manageable_volumes/detail")
  @Operation(summary = "As manageable_volumes, with reason_not_safe, cinder_id, extra_info (3.8)")
  public Uni<Map<String, Object>> listVolumesDetail() {
    since(8);
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), false, true);
  }

  @GET
  @Path("os-volume-manage")
  @Operation(summary = "The backend objects of a host that could be managed (legacy)")
  public Uni<Map<String, Object>> listVolumesLegacy() {
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), false, false);
  }

  @GET
  @Path("os-volume-manage/detail")
  @Operation(summary = "As os-volume-manage, with details (legacy)")
  public Uni<Map<String, Object>> listVolumesLegacyDetail() {
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), false, true);
  }

  @POST
  @Path("manageable_snapshots")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Manage a backend snapshot as a snapshot of a volume (3.8)")
  @APIResponse(responseCode = "202", description = "Accepted: the snapshot, in creating")
  public Response manageSnapshot(byte[] body) {
    since(8);
    return manageSnapshotLegacy(body);
  }

  @POST
  @Path("os-snapshot-manage")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Manage a backend snapshot as a snapshot of a volume (legacy)")
  @APIResponse(responseCode = "202", description = "Accepted: the snapshot, in creating")
  public Response manageSnapshotLegacy(byte[] body) {
    Snapshot snapshot = snapshots.manage(JsonBody.parse(body), caller.context());
    return Response.accepted(
            Map.of(
                "snapshot", new SnapshotView(uri.getBaseUri(), caller.version()).detail(snapshot)))
        .build();
  }

  @GET
  @Path("manageable_snapshots")
  @Operation(summary = "The backend snapshots of a host (host=) that could be managed (3.8)")
  public Uni<Map<String, Object>> listSnapshots() {
    since(8);
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), true, false);
  }

  @GET
  @Path("manageable_snapshots/detail")
  @Operation(summary = "As manageable_snapshots, with details (3.8)")
  public Uni<Map<String, Object>> listSnapshotsDetail() {
    since(8);
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), true, true);
  }

  @GET
  @Path("os-snapshot-manage")
  @Operation(summary = "The backend snapshots of a host that could be managed (legacy)")
  public Uni<Map<String, Object>> listSnapshotsLegacy() {
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), true, false);
  }

  @GET
  @Path("os-snapshot-manage/detail")
  @Operation(summary = "As os-snapshot-manage, with details (legacy)")
  public Uni<Map<String, Object>> listSnapshotsLegacyDetail() {
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), true, true);
  }

  /** Below its microversion the resource does not exist, as in Cinder. */
  private void since(int minor) {
    if (!caller.version().atLeast(minor)) {
      throw new NotFoundException();
    }
  }
}
