package io.ember.api.rest;

import io.ember.api.auth.Caller;
import io.ember.api.rest.ManageableVolumesResource.ManageableResources;
import io.ember.api.snapshot.Snapshot;
import io.ember.api.snapshot.SnapshotService;
import io.ember.api.view.SnapshotView;
import io.ember.api.volumeops.ManageableListing;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /manageable_snapshots} (3.8, admins only by default): manage a backend snapshot as a
 * snapshot of a volume, and list what a host could manage. {@link OsSnapshotManageResource} is the
 * same under its legacy path.
 */
@Path("/v3/{project_id}/manageable_snapshots")
@Tag(name = "manage", description = "Manage and list backend objects not managed by Ember.")
@Produces(MediaType.APPLICATION_JSON)
public class ManageableSnapshotsResource {

  @Inject Caller caller;
  @Inject SnapshotService snapshots;
  @Inject ManageableListing listing;
  @Context UriInfo uri;

  /** The microversion the path needs; the legacy path none. */
  int since() {
    return 8;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Manage a backend snapshot as a snapshot of a volume")
  @APIResponse(responseCode = "202", description = "Accepted: the snapshot, in creating")
  public Response manage(byte[] body) {
    ManageableResources.require(caller, since());
    Snapshot snapshot = snapshots.manage(JsonBody.parse(body), caller.context());
    return Response.accepted(
            Map.of(
                "snapshot", new SnapshotView(uri.getBaseUri(), caller.version()).detail(snapshot)))
        .build();
  }

  @GET
  @Operation(summary = "The backend snapshots of a host (host=) that could be managed")
  public Uni<Map<String, Object>> list() {
    ManageableResources.require(caller, since());
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), true, false);
  }

  @GET
  @Path("detail")
  @Operation(summary = "As the list, with reason_not_safe, cinder_id and extra_info")
  public Uni<Map<String, Object>> detail() {
    ManageableResources.require(caller, since());
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), true, true);
  }
}
