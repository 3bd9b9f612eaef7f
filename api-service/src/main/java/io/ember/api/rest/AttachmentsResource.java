package io.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.attachment.Attachment;
import io.ember.api.attachment.AttachmentService;
import io.ember.api.attachment.NovaUsageCheck;
import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.view.AttachmentView;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
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
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v3/{project_id}/attachments} (3.27+, {@code os-complete} 3.44, {@code mode} 3.54). Create
 * with a connector, update and delete wait for the volume's host without holding a request thread:
 * they return a {@link Uni} the host's reply completes.
 */
@Path("/v3/{project_id}/attachments")
@Tag(name = "attachments", description = "Volume attachments (Cinder's attachments API).")
@Produces(MediaType.APPLICATION_JSON)
public class AttachmentsResource {

  @Inject Caller caller;
  @Inject AttachmentService attachments;
  @Context UriInfo uri;

  @POST
  @Blocking
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Reserve a volume for an attachment; with a connector, connect it too")
  public Uni<Map<String, Object>> create(byte[] body) {
    since(27);
    return attachments
        .create(JsonBody.parse(body), caller.context(), caller.version().atLeast(54))
        .map(shown -> Map.of("attachment", shown));
  }

  @GET
  @Operation(summary = "List attachments (id, status, instance, volume_id)")
  public Map<String, Object> list() {
    return page(AttachmentView::summary);
  }

  @GET
  @Path("detail")
  @Operation(summary = "List attachments with details")
  public Map<String, Object> detail() {
    return page(AttachmentView::detail);
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show an attachment")
  public Map<String, Object> show(@PathParam("id") String id) {
    since(27);
    return Map.of("attachment", AttachmentView.detail(attachments.show(id, caller.context())));
  }

  @PUT
  @Path("{id}")
  @Blocking
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Connect an attachment for a connector: answers its connection_info")
  public Uni<Map<String, Object>> update(@PathParam("id") String id, byte[] body) {
    since(27);
    return attachments
        .update(id, JsonBody.parse(body), caller.context())
        .map(shown -> Map.of("attachment", shown));
  }

  @POST
  @Path("{id}/action")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "os-complete (3.44): the attachment attached, its volume in-use")
  public Response action(@PathParam("id") String id, byte[] body) {
    since(44);
    JsonNode request = JsonBody.parse(body);
    if (!request.isObject() || request.size() != 1 || !request.has("os-complete")) {
      String action = request.isObject() && request.size() > 0 ? request.fieldNames().next() : "";
      throw CinderFault.badRequest(
          "There is no such action: "
              + Echo.cap(action)
              + ". Verify the request body and Content-Type header and try again.");
    }
    attachments.complete(id, caller.context());
    return Response.noContent().build();
  }

  @DELETE
  @Path("{id}")
  @Blocking
  @Operation(summary = "Delete an attachment; a connected one is disconnected by its host")
  public Uni<Map<String, Object>> delete(@PathParam("id") String id) {
    since(27);
    return attachments.delete(id, caller.context(), requester());
  }

  private Map<String, Object> page(Function<Attachment, Map<String, Object>> render) {
    since(27);
    List<Attachment> found = attachments.list(caller.context(), uri.getQueryParameters());
    return Map.of("attachments", found.stream().map(render).toList());
  }

  /** Below its microversion the resource does not exist, as in Cinder. */
  private void since(int minor) {
    if (!caller.version().atLeast(minor)) {
      throw new NotFoundException();
    }
  }

  private NovaUsageCheck.Requester requester() {
    return new NovaUsageCheck.Requester(caller.isServiceRequest(), caller.authToken());
  }
}
