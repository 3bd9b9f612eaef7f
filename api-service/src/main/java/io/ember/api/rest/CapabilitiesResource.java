package io.ember.api.rest;

import io.ember.api.fault.CinderFault;
import io.ember.api.service.ServiceDirectory;
import io.ember.model.HostAddress;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.ServiceRecord;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v3/{project_id}/capabilities/{host}}: what a volume backend ({@code host@backend}, or
 * one of its pools) can do, from its latest capability report. Cinder asks the volume service over
 * RPC; the report it would answer with is already here, so no round trip. Admins only ({@code
 * volume_extension:capabilities}, checked by the policy filter).
 */
@Path("/v3/{project_id}/capabilities/{host}")
@Tag(name = "capabilities", description = "Back-end capabilities (admin).")
@Produces(MediaType.APPLICATION_JSON)
public class CapabilitiesResource {

  @Inject ServiceDirectory directory;

  @GET
  @Operation(summary = "Show a back end's capabilities")
  public Map<String, Object> show(@PathParam("host") String host) {
    HostAddress asked;
    try {
      asked = HostAddress.parse(host);
    } catch (IllegalArgumentException e) {
      throw CinderFault.notFound("Can't find service: " + host);
    }
    if (directory.find(ServiceRecord.VOLUME_BINARY, asked.backendHost()).isEmpty()) {
      throw CinderFault.notFound("Can't find service: " + host);
    }
    List<CapabilityReport> reports =
        directory.pools().stream()
            .filter(r -> HostAddress.parse(r.pool()).backendHost().equals(asked.backendHost()))
            .filter(r -> asked.pool() == null || r.pool().equals(host))
            .toList();
    if (reports.isEmpty()) {
      throw CinderFault.notFound("Can't find service: " + host);
    }
    CapabilityReport r = reports.get(0);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("namespace", "OS::Storage::Capabilities::" + host);
    v.put("vendor_name", r.vendorName());
    v.put("volume_backend_name", r.volumeBackendName());
    v.put("pool_name", asked.pool());
    v.put("driver_version", r.driverVersion());
    v.put("storage_protocol", r.storageProtocol());
    v.put("display_name", null);
    v.put("description", null);
    v.put("visibility", null);
    v.put("replication_targets", List.of());
    v.put("properties", properties(reports));
    return v;
  }

  /** The volume type extra specs the backend acts on, as Cinder's drivers describe them. */
  private static Map<String, Object> properties(List<CapabilityReport> reports) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (reports.stream().anyMatch(CapabilityReport::thinProvisioningSupport)) {
      p.put(
          "thin_provisioning",
          Map.of(
              "title", "Thin Provisioning",
              "description", "Sets thin provisioning.",
              "type", "boolean"));
    }
    return p;
  }
}
