package io.ember.api.rest;

import io.ember.api.service.ServiceAdmin;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v3/{project_id}/os-availability-zone}: the zones the volume hosts report, each
 * available unless all its hosts are disabled. Open to every caller, as Cinder.
 */
@Path("/v3/{project_id}/os-availability-zone")
@Tag(name = "availability-zones", description = "Availability zones of the volume hosts.")
@Produces(MediaType.APPLICATION_JSON)
public class AvailabilityZonesResource {

  @Inject ServiceAdmin services;

  @GET
  @Operation(summary = "List availability zones")
  public Map<String, Object> list() {
    return Map.of(
        "availabilityZoneInfo",
        services.zones().stream()
            .map(z -> Map.of("zoneName", z.name(), "zoneState", Map.of("available", z.available())))
            .toList());
  }
}
