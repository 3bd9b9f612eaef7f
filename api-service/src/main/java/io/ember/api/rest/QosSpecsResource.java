package io.ember.api.rest;

import io.ember.api.auth.Caller;
import io.ember.api.qos.QosSpecs;
import io.ember.api.qos.QosSpecsService;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.view.QosSpecsView;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v3/{project_id}/qos-specs}: Cinder's QoS specs ({@code qos_specs_manage}), admins only.
 * Associate, disassociate and disassociate_all are GETs answered 202, as in Cinder.
 */
@Path("/v3/{project_id}/qos-specs")
@Tag(name = "qos specs", description = "QoS specs and their volume types (admin).")
@Produces(MediaType.APPLICATION_JSON)
public class QosSpecsResource {

  @Inject Caller caller;
  @Inject QosSpecsService qos;

  /** Volume creates carry a type\'s QoS spec from it: a change here drops its copy. */
  @Inject VolumeTypeCatalog types;

  @Context UriInfo uri;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Create a QoS spec: name, consumer (front-end, back-end, both) and keys")
  public Map<String, Object> create(byte[] body) {
    return view().detail(qos.create(caller.context(), JsonBody.parse(body)));
  }

  @GET
  @Operation(summary = "List QoS specs (filters id, name, consumer; sort, marker, limit)")
  public Map<String, Object> list() {
    QosSpecsService.Page page = qos.list(caller.context(), uri.getQueryParameters());
    QosSpecsView view = view();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("qos_specs", page.specs().stream().map(view::summary).toList());
    if (page.hasNext()) {
      List<QosSpecs> specs = page.specs();
      body.put("qos_specs_links", view.nextLink(specs.get(specs.size() - 1), page.limit()));
    }
    return body;
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show a QoS spec")
  public Map<String, Object> show(@PathParam("id") String id) {
    return view().detail(qos.show(caller.context(), id));
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Set keys of a QoS spec (and its consumer)")
  public Map<String, Object> update(@PathParam("id") String id, byte[] body) {
    Map<String, Object> updated =
        Map.of("qos_specs", qos.update(caller.context(), id, JsonBody.parse(body)));
    types.invalidate();
    return updated;
  }

  @PUT
  @Path("{id}/delete_keys")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Unset keys of a QoS spec")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response deleteKeys(@PathParam("id") String id, byte[] body) {
    qos.deleteKeys(caller.context(), id, JsonBody.parse(body));
    types.invalidate();
    return Response.accepted().build();
  }

  @DELETE
  @Path("{id}")
  @Operation(summary = "Delete a QoS spec; force=true disassociates its volume types first")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response delete(@PathParam("id") String id, @QueryParam("force") String force) {
    qos.delete(caller.context(), id, force);
    types.invalidate();
    return Response.accepted().build();
  }

  @GET
  @Path("{id}/associations")
  @Operation(summary = "List the volume types associated with a QoS spec")
  public Map<String, Object> associations(@PathParam("id") String id) {
    return view().associations(qos.associations(caller.context(), id));
  }

  @GET
  @Path("{id}/associate")
  @Operation(summary = "Associate a volume type (vol_type_id) with a QoS spec")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response associate(@PathParam("id") String id, @QueryParam("vol_type_id") String type) {
    qos.associate(caller.context(), id, type);
    types.invalidate();
    return Response.accepted().build();
  }

  @GET
  @Path("{id}/disassociate")
  @Operation(summary = "Disassociate a volume type (vol_type_id) from a QoS spec")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response disassociate(@PathParam("id") String id, @QueryParam("vol_type_id") String type) {
    qos.disassociate(caller.context(), id, type);
    types.invalidate();
    return Response.accepted().build();
  }

  @GET
  @Path("{id}/disassociate_all")
  @Operation(summary = "Disassociate every volume type from a QoS spec")
  @APIResponse(responseCode = "202", description = "Accepted")
  public Response disassociateAll(@PathParam("id") String id) {
    qos.disassociateAll(caller.context(), id);
    types.invalidate();
    return Response.accepted().build();
  }

  private QosSpecsView view() {
    return new QosSpecsView(uri.getBaseUri(), caller.projectId());
  }
}
