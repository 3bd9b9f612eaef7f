package io.ember.api.rest;

import io.ember.api.fault.CinderFault;
import io.ember.api.host.HostUsage;
import io.ember.api.service.ServiceAdmin;
import io.ember.model.contract.ServiceRecord;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v3/{project_id}/os-hosts}: Cinder's older view of the services (one entry per service,
 * named by its host) and, per volume host, what each project holds there. Admins only ({@code
 * volume_extension:hosts}, checked by the policy filter).
 */
@Path("/v3/{project_id}/os-hosts")
@Tag(name = "hosts", description = "Hosts and what they hold (admin).")
@Produces(MediaType.APPLICATION_JSON)
public class HostsResource {

  @Inject ServiceAdmin services;
  @Inject HostUsage usage;

  @GET
  @Operation(summary = "List hosts")
  public Map<String, Object> list(@QueryParam("zone") String zone) {
    List<Map<String, Object>> hosts = new ArrayList<>();
    for (ServiceAdmin.ServiceInfo s : services.list(Optional.empty(), Optional.empty())) {
      if (zone != null && !zone.isEmpty() && !zone.equals(s.zone())) {
        continue;
      }
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("host_name", s.host());
      v.put("service", s.binary());
      v.put("zone", s.zone());
      v.put("service-status", s.up() ? "available" : "unavailable");
      v.put("service-state", s.disabled() ? "disabled" : "enabled");
      v.put(
          "last-update",
          s.updatedAt() == null ? null : ServicesResource.TIME.format(s.updatedAt()));
      hosts.add(v);
    }
    return Map.of("hosts", hosts);
  }

  @GET
  @Path("{host}")
  @Operation(summary = "Show what the projects hold on a volume host")
  public Map<String, Object> show(@PathParam("host") String host) {
    if (services.list(Optional.of(host), Optional.of(ServiceRecord.VOLUME_BINARY)).stream()
        .noneMatch(s -> s.host().equals(host))) {
      throw CinderFault.notFound("Host not found");
    }
    Map<String, HostUsage.Usage> byProject = usage.byProject(host);
    HostUsage.Usage total = new HostUsage.Usage(0, 0, 0, 0);
    List<Map<String, Object>> resources = new ArrayList<>();
    resources.add(null); // the total, first, once summed
    for (Map.Entry<String, HostUsage.Usage> e : byProject.entrySet()) {
      HostUsage.Usage u = e.getValue();
      resources.add(resource(host, e.getKey(), u));
      total =
          new HostUsage.Usage(
              total.volumeCount() + u.volumeCount(),
              total.volumeGb() + u.volumeGb(),
              total.snapshotCount() + u.snapshotCount(),
              total.snapshotGb() + u.snapshotGb());
    }
    resources.set(0, resource(host, "(total)", total));
    return Map.of("host", resources);
  }

  /** Cinder gives the numbers as strings. */
  private static Map<String, Object> resource(String host, String project, HostUsage.Usage u) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("host", host);
    r.put("project", project);
    r.put("volume_count", String.valueOf(u.volumeCount()));
    r.put("total_volume_gb", String.valueOf(u.volumeGb()));
    r.put("snapshot_count", String.valueOf(u.snapshotCount()));
    r.put("total_snapshot_gb", String.valueOf(u.snapshotGb()));
    return Map.of("resource", r);
  }
}
