package io.ember.api.rest;

import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.service.ServiceAdmin;
import io.ember.api.service.ServiceDirectory;
import io.ember.model.HostAddress;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.ServiceRecord;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v3/{project_id}/scheduler-stats/get_pools}: the pools of the volume hosts that are up
 * and enabled (what Cinder's scheduler would place on), with their capabilities when {@code
 * detail=true}. Admins only, as Cinder's policy. Answered from this process's view of the
 * capability reports, which is the scheduler's view without its in-flight placements.
 */
@Path("/v3/{project_id}/scheduler-stats/get_pools")
@Tag(name = "scheduler-stats", description = "Back-end storage pools (admin).")
@Produces(MediaType.APPLICATION_JSON)
public class SchedulerStatsResource {

  private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
  private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");

  @Inject Caller caller;
  @Inject ServiceDirectory directory;
  @Inject ServiceAdmin services;

  @GET
  @Operation(summary = "List pools")
  public Map<String, Object> getPools(@QueryParam("detail") String detail) {
    if (!caller.isAdmin()) {
      throw new CinderFault(
          403,
          "Policy doesn't allow scheduler_extension:scheduler_stats:get_pools to be performed.");
    }
    boolean detailed = bool("detail", detail);
    Set<String> schedulable = new HashSet<>();
    for (ServiceAdmin.ServiceInfo s :
        services.list(Optional.empty(), Optional.of(ServiceRecord.VOLUME_BINARY))) {
      if (s.up() && !s.disabled()) {
        schedulable.add(s.host());
      }
    }
    List<Map<String, Object>> pools =
        directory.pools().stream()
            .filter(r -> schedulable.contains(HostAddress.parse(r.pool()).backendHost()))
            .map(r -> view(r, detailed))
            .toList();
    return Map.of("pools", pools);
  }

  private static Map<String, Object> view(CapabilityReport r, boolean detailed) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", r.pool());
    if (detailed) {
      v.put("capabilities", capabilities(r));
    }
    return v;
  }

  /**
   * The pool's capabilities under Cinder's names, with the keys Cinder's drivers report by default
   * (QoS, replication and group support, filter and goodness functions). Driver-specific extra
   * capabilities come first, so a standard key always has the standard value.
   */
  static Map<String, Object> capabilities(CapabilityReport r) {
    Map<String, Object> caps = new LinkedHashMap<>();
    r.extraCapabilities().forEach((k, v) -> caps.put(k, typed(v)));
    caps.put("pool_name", HostAddress.parse(r.pool()).pool());
    caps.put("total_capacity_gb", r.totalCapacityGb());
    caps.put("free_capacity_gb", r.freeCapacityGb());
    caps.put("provisioned_capacity_gb", r.provisionedCapacityGb());
    caps.put("allocated_capacity_gb", r.allocatedCapacityGb());
    caps.put("reserved_percentage", r.reservedPercentage());
    caps.put("max_over_subscription_ratio", r.maxOverSubscriptionRatio());
    caps.put("thin_provisioning_support", r.thinProvisioningSupport());
    caps.put("thick_provisioning_support", r.thickProvisioningSupport());
    caps.putIfAbsent("QoS_support", false);
    caps.putIfAbsent("filter_function", null);
    caps.putIfAbsent("goodness_function", null);
    caps.putIfAbsent("consistencygroup_support", false);
    caps.putIfAbsent("replication_enabled", false);
    caps.putIfAbsent("group_replication_enabled", false);
    caps.put("volume_backend_name", r.volumeBackendName());
    caps.put("storage_protocol", r.storageProtocol());
    caps.put("vendor_name", r.vendorName());
    caps.put("driver_version", r.driverVersion());
    caps.put("availability_zone", r.availabilityZone());
    caps.put(
        "timestamp", r.reportedAt() == null ? null : ServicesResource.TIME.format(r.reportedAt()));
    return caps;
  }

  /**
   * A reported capability as the JSON type a Cinder driver reports it in: the report carries text,
   * but clients check that {@code QoS_support} or {@code multiattach} are booleans and counts are
   * numbers (Tempest's schema does).
   */
  static Object typed(String value) {
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.valueOf(value);
    }
    if (value != null && value.matches("-?[0-9]{1,18}")) {
      return Long.valueOf(value);
    }
    return value;
  }

  /** Cinder's {@code get_bool_param}: the boolean strings oslo accepts, else a 400. */
  private static boolean bool(String name, String value) {
    if (value == null) {
      return false;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (TRUE.contains(v)) {
      return true;
    }
    if (FALSE.contains(v)) {
      return false;
    }
    throw CinderFault.badRequest("Value '" + value + "' for '" + name + "' is not a boolean.");
  }
}
