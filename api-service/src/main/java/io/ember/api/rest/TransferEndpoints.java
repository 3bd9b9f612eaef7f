package io.ember.api.rest;

import io.ember.api.auth.Caller;
import io.ember.api.transfer.Transfer;
import io.ember.api.transfer.TransferQuery;
import io.ember.api.transfer.TransferService;
import io.ember.api.view.TransferView;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

/**
 * Cinder's volume transfer API, as both its paths answer it ({@link OsVolumeTransferResource},
 * {@link VolumeTransfersResource}): one controller in Cinder, the legacy one without {@code
 * no_snapshots} in its create.
 */
public abstract class TransferEndpoints {

  @Inject Caller caller;
  @Inject TransferService transfers;
  @Inject TransferQuery query;
  @Context UriInfo uri;

  /** Whether this is the legacy path, {@code os-volume-transfer}. */
  abstract boolean legacy();

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Offer a volume to another project: 202 with the auth key, shown once")
  @APIResponse(responseCode = "202", description = "Accepted: the transfer and its auth key")
  public Response create(@PathParam("project_id") String projectId, byte[] body) {
    TransferService.Created created =
        transfers.create(JsonBody.parse(body), caller.context(), caller.version(), legacy());
    return Response.accepted(
            Map.of("transfer", view().created(created.transfer(), projectId, created.authKey())))
        .build();
  }

  @GET
  @Operation(summary = "List the transfers of the project's volumes")
  public Map<String, Object> list(@PathParam("project_id") String projectId) {
    return page(projectId, t -> view().summary(t, projectId));
  }

  @GET
  @Path("detail")
  @Operation(summary = "List the transfers with details")
  public Map<String, Object> detail(@PathParam("project_id") String projectId) {
    return page(projectId, t -> view().detail(t, projectId));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show a transfer")
  public Map<String, Object> show(
      @PathParam("project_id") String projectId, @PathParam("id") String id) {
    return Map.of("transfer", view().detail(transfers.show(id, caller.context()), projectId));
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a transfer: its volume is available again")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response delete(@PathParam("id") String id) {
    transfers.delete(id, caller.context());
    return Response.accepted().build();
  }

  /**
   * Accept with the auth key: the answer waits for the volume host's {@code accept_transfer}
   * without holding a thread.
   */
  @POST
  @Path("{id}/accept")
  @Consumes(MediaType.WILDCARD)
  @Blocking
  @Operation(summary = "Accept a transfer with its auth key: the volume moves to this project")
  @APIResponse(responseCode = "202", description = "Accepted: the transfer's id, name and volume")
  public Uni<Response> accept(
      @PathParam("project_id") String projectId, @PathParam("id") String id, byte[] body) {
    TransferView view = view();
    // A Uni: its failure reaches the fault mappers as thrown, not wrapped in a CompletionException.
    // It watches a copy: a caller hanging up cancels the copy, not the accept's second half.
    return Uni.createFrom()
        .completionStage(
            transfers
                .accept(id, JsonBody.parse(body), caller.context())
                .toCompletableFuture()
                .copy())
        .map(
            accepted ->
                Response.accepted(Map.of("transfer", view.summary(accepted, projectId))).build());
  }

  private Map<String, Object> page(
      String projectId, Function<Transfer, Map<String, Object>> render) {
    TransferQuery.Page page =
        query.list(caller.context(), caller.version(), uri.getQueryParameters());
    Map<String, Object> body = new LinkedHashMap<>();
    List<Map<String, Object>> items = page.transfers().stream().map(render).toList();
    body.put("transfers", items);
    if (page.hasNext()) {
      Transfer last = page.transfers().get(page.transfers().size() - 1);
      body.put("transfers_links", view().nextLink(projectId, last, page.transfers().size()));
    }
    return body;
  }

  private TransferView view() {
    return new TransferView(uri.getBaseUri(), caller.version());
  }
}
