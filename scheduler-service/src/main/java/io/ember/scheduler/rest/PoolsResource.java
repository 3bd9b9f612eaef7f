package io.ember.scheduler.rest;

import io.ember.scheduler.capability.Capabilities;
import io.ember.scheduler.capability.PoolRegistry;
import io.ember.scheduler.capability.PoolState;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's current view of the pools, in the shape of Cinder's {@code get_pools} (detail)
 * plus what only the scheduler knows: liveness and capacity placed but not yet reported.
 */
@Path("/pools")
@Produces(MediaType.APPLICATION_JSON)
public class PoolsResource {

  @Inject PoolRegistry registry;

  @GET
  public Map<String, Object> pools() {
    List<Map<String, Object>> pools = registry.pools().stream().map(PoolsResource::view).toList();
    return Map.of("pools", pools);
  }

  private static Map<String, Object> view(PoolState pool) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", pool.name());
    view.put("up", pool.up());
    view.put("in_flight_allocated_gb", pool.inFlightGb());
    view.put("capabilities", Capabilities.of(pool));
    return view;
  }
}
