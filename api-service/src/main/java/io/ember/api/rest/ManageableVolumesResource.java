package io.ember.api.rest;

import io.ember.api.attachment.AttachmentService;
import io.ember.api.auth.Caller;
import io.ember.api.type.VolumeTypeCatalog;
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
 * {@code /manageable_volumes} (3.8, admins only by default): manage a backend object as a new
 * volume (202 with it, then {@code managing} until available or error), and list what a host could
 * manage, asked of that host within the request-reply deadline. {@link OsVolumeManageResource} is
 * the same under its legacy path, at every microversion.
 */
@Path("/v3/{project_id}/manageable_volumes")
@Tag(name = "manage", description = "Manage and list backend objects not managed by Ember.")
@Produces(MediaType.APPLICATION_JSON)
public class ManageableVolumesResource {

  @Inject Caller caller;
  @Inject VolumeManage manage;
  @Inject ManageableListing listing;
  @Inject VolumeTypeCatalog types;
  @Inject AttachmentService attachments;
  @Context UriInfo uri;

  /** The microversion the path needs; the legacy path none. */
  int since() {
    return 8;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Manage a backend object as a new volume: managing, then available")
  @APIResponse(responseCode = "202", description = "Accepted: the volume, shown as creating")
  public Response manage(byte[] body) {
    ManageableResources.require(caller, since());
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
  @Operation(summary = "The backend objects of a host (host=) that could be managed")
  public Uni<Map<String, Object>> list() {
    ManageableResources.require(caller, since());
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), false, false);
  }

  @GET
  @Path("detail")
  @Operation(summary = "As the list, with reason_not_safe, cinder_id and extra_info")
  public Uni<Map<String, Object>> detail() {
    ManageableResources.require(caller, since());
    return listing.list(caller.context(), caller.version(), uri.getQueryParameters(), false, true);
  }

  /** Below its microversion a resource does not exist, as in Cinder. */
  static final class ManageableResources {
    private ManageableResources() {}

    static void require(Caller caller, int minor) {
      if (!caller.version().atLeast(minor)) {
        throw new NotFoundException();
      }
    }
  }
}
