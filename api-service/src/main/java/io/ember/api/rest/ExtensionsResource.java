package io.ember.api.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /v3/{project_id}/extensions}: the Cinder API extensions Ember serves, under Cinder's
 * names and aliases (clients such as Tempest look them up by name). Only those Ember answers are
 * listed; one appears here when its resource exists. Open to every caller, as Cinder.
 */
@Path("/v3/{project_id}/extensions")
@Tag(name = "extensions", description = "The API extensions served.")
@Produces(MediaType.APPLICATION_JSON)
public class ExtensionsResource {

  private record Extension(String name, String alias, String updated, String description) {}

  private static final List<Extension> SERVED =
      List.of(
          new Extension(
              "AdminActions",
              "os-admin-actions",
              "2012-08-25T00:00:00+00:00",
              "Enable admin actions."),
          new Extension(
              "AvailabilityZones",
              "os-availability-zone",
              "2013-06-27T00:00:00+00:00",
              "Describe Availability Zones."),
          new Extension(
              "Capabilities", "capabilities", "2015-08-31T00:00:00+00:00", "Capabilities support."),
          new Extension(
              "Hosts", "os-hosts", "2011-06-29T00:00:00+00:00", "Admin-only host administration."),
          new Extension(
              "Qos_specs_manage", "qos-specs", "2013-08-02T00:00:00+00:00", "QoS specs support."),
          new Extension(
              "QuotaClasses",
              "os-quota-class-sets",
              "2012-03-12T00:00:00+00:00",
              "Quota classes management support."),
          new Extension(
              "Quotas", "os-quota-sets", "2011-08-08T00:00:00+00:00", "Quota management support."),
          new Extension(
              "Scheduler_stats",
              "scheduler-stats",
              "2014-09-07T00:00:00+00:00",
              "Scheduler stats support."),
          new Extension(
              "Services", "os-services", "2012-10-28T00:00:00+00:00", "Services support."),
          new Extension(
              "Types_extra_specs",
              "os-types-extra-specs",
              "2011-08-24T00:00:00+00:00",
              "Type extra specs support."),
          new Extension(
              "Types_manage",
              "os-types-manage",
              "2011-08-24T00:00:00+00:00",
              "Types manage support."),
          new Extension(
              "UsedLimits",
              "os-used-limits",
              "2013-10-03T00:00:00+00:00",
              "Provide data on limited resources that are being used."),
          new Extension(
              "Volume_type_access",
              "os-volume-type-access",
              "2014-06-26T00:00:00+00:00",
              "Volume type access support."),
          new Extension(
              "VolumeTypeEncryption",
              "encryption",
              "2013-07-01T00:00:00+00:00",
              "Encryption support for volume types."));

  @GET
  @Operation(summary = "List the API extensions")
  public Map<String, Object> list() {
    return Map.of(
        "extensions",
        SERVED.stream()
            .map(
                e -> {
                  Map<String, Object> v = new LinkedHashMap<>();
                  v.put("alias", e.alias());
                  v.put("description", e.description());
                  v.put("links", List.of());
                  v.put("name", e.name());
                  v.put("updated", e.updated());
                  return v;
                })
            .toList());
  }
}
