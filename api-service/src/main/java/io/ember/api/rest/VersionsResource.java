package io.ember.api.rest;

import io.ember.api.microversion.ApiVersion;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
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

/** Version discovery: {@code GET /} answers 300 with the versions list, as Cinder. */
@Path("/")
@Tag(name = "versions", description = "API version discovery.")
@Produces(MediaType.APPLICATION_JSON)
public class VersionsResource {

  @GET
  @Operation(summary = "List the API versions (300 Multiple Choices)")
  @APIResponse(responseCode = "300", description = "Multiple Choices: the versions")
  public Response versions(@Context UriInfo uri) {
    return Response.status(300)
        .entity(Map.of("versions", List.of(v3(uri))))
        .header("OpenStack-API-Version", "volume " + ApiVersion.MIN)
        .header("Vary", "OpenStack-API-Version")
        .build();
  }

  /** Cinder answers a list here too, of the one version asked for (Tempest's schema checks it). */
  @GET
  @Path("v3")
  @Operation(summary = "Show the v3 API version and its microversion range")
  public Map<String, Object> version(@Context UriInfo uri) {
    return Map.of("versions", List.of(v3(uri)));
  }

  private static Map<String, Object> v3(UriInfo uri) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", "v3.0");
    v.put("status", "CURRENT");
    v.put("version", ApiVersion.MAX.toString());
    v.put("min_version", ApiVersion.MIN.toString());
    v.put("updated", "2022-08-31T00:00:00Z");
    v.put(
        "links",
        List.of(
            Map.of(
                "rel", "describedby", "type", "text/html", "href", "https://docs.openstack.org/"),
            Map.of("rel", "self", "href", uri.getBaseUri() + "v3/")));
    v.put(
        "media-types",
        List.of(
            Map.of(
                "base", "application/json",
                "type", "application/vnd.openstack.volume+json;version=3")));
    return v;
  }
}
