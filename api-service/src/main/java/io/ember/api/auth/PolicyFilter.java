package io.ember.api.auth;

import io.ember.api.auth.AdminPolicy.Level;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Cinder's default rule for each operation, checked once the route is known. Operations whose rule
 * depends on the body (volume actions) or that the services check themselves (types, QoS, services,
 * pools: admin rules) are left to them ({@link AdminPolicy}).
 */
@ApplicationScoped
public class PolicyFilter {

  record Rule(String name, Level level) {}

  /** "Resource.method" → Cinder's rule (cinder/policies/*.py). */
  static final Map<String, Rule> RULES =
      Map.ofEntries(
          rule("VolumesResource.create", "volume:create", Level.MEMBER),
          rule("VolumesResource.list", "volume:get_all", Level.READER),
          rule("VolumesResource.detail", "volume:get_all", Level.READER),
          rule("VolumesResource.show", "volume:get", Level.READER),
          rule("VolumesResource.update", "volume:update", Level.MEMBER),
          rule("VolumesResource.delete", "volume:delete", Level.MEMBER),
          rule("VolumeMetadataResource.index", "volume:get_volume_metadata", Level.READER),
          rule("VolumeMetadataResource.show", "volume:get_volume_metadata", Level.READER),
          rule("VolumeMetadataResource.create", "volume:create_volume_metadata", Level.MEMBER),
          rule("VolumeMetadataResource.updateAll", "volume:update_volume_metadata", Level.MEMBER),
          rule("VolumeMetadataResource.update", "volume:update_volume_metadata", Level.MEMBER),
          rule("VolumeMetadataResource.delete", "volume:delete_volume_metadata", Level.MEMBER),
          rule("MessagesResource.list", "message:get_all", Level.READER),
          rule("MessagesResource.show", "message:get", Level.READER),
          rule("MessagesResource.delete", "message:delete", Level.MEMBER),
          rule("LimitsResource.limits", "limits_extension:used_limits", Level.READER),
          rule(
              "AvailabilityZonesResource.list",
              "volume_extension:availability_zone_list",
              Level.READER),
          rule("QuotaSetsResource.show", "volume_extension:quotas:show", Level.READER),
          rule("QuotaSetsResource.defaults", "volume_extension:quotas:show", Level.READER),
          rule("TypesResource.list", "volume_extension:type_get_all", Level.READER),
          rule("TypesResource.show", "volume_extension:type_get", Level.READER),
          rule("TypesResource.defaultType", "volume_extension:default_get", Level.READER),
          rule("SnapshotsResource.create", "volume:create_snapshot", Level.MEMBER),
          rule("SnapshotsResource.list", "volume:get_all_snapshots", Level.READER),
          rule("SnapshotsResource.detail", "volume:get_all_snapshots", Level.READER),
          rule("SnapshotsResource.show", "volume:get_snapshot", Level.READER),
          rule("SnapshotsResource.update", "volume:update_snapshot", Level.MEMBER),
          rule("SnapshotsResource.delete", "volume:delete_snapshot", Level.MEMBER),
          rule("SnapshotsResource.metadata", "volume:get_snapshot_metadata", Level.READER),
          rule("SnapshotsResource.metadataItem", "volume:get_snapshot_metadata", Level.READER),
          rule("SnapshotsResource.addMetadata", "volume:update_snapshot_metadata", Level.MEMBER),
          rule(
              "SnapshotsResource.replaceMetadata", "volume:update_snapshot_metadata", Level.MEMBER),
          rule(
              "SnapshotsResource.setMetadataItem", "volume:update_snapshot_metadata", Level.MEMBER),
          rule(
              "SnapshotsResource.deleteMetadataItem",
              "volume:delete_snapshot_metadata",
              Level.MEMBER),
          rule("OsVolumeTransferResource.create", "volume:create_transfer", Level.MEMBER),
          rule("OsVolumeTransferResource.list", "volume:get_all_transfers", Level.READER),
          rule("OsVolumeTransferResource.detail", "volume:get_all_transfers", Level.READER),
          rule("OsVolumeTransferResource.show", "volume:get_transfer", Level.READER),
          rule("OsVolumeTransferResource.delete", "volume:delete_transfer", Level.MEMBER),
          rule("OsVolumeTransferResource.accept", "volume:accept_transfer", Level.MEMBER),
          rule("VolumeTransfersResource.create", "volume:create_transfer", Level.MEMBER),
          rule("VolumeTransfersResource.list", "volume:get_all_transfers", Level.READER),
          rule("VolumeTransfersResource.detail", "volume:get_all_transfers", Level.READER),
          rule("VolumeTransfersResource.show", "volume:get_transfer", Level.READER),
          rule("VolumeTransfersResource.delete", "volume:delete_transfer", Level.MEMBER),
          rule("VolumeTransfersResource.accept", "volume:accept_transfer", Level.MEMBER),
          rule("HostsResource.list", "volume_extension:hosts", Level.ADMIN),
          rule("HostsResource.show", "volume_extension:hosts", Level.ADMIN),
          rule("CapabilitiesResource.show", "volume_extension:capabilities", Level.ADMIN),
          rule("GroupsResource.list", "group:get_all", Level.READER),
          rule("GroupsResource.detail", "group:get_all", Level.READER),
          rule("GroupsResource.show", "group:get", Level.READER),
          rule("GroupsResource.create", "group:create", Level.MEMBER),
          rule("GroupsResource.update", "group:update", Level.MEMBER),
          rule("GroupSnapshotsResource.list", "group:get_all_group_snapshots", Level.READER),
          rule("GroupSnapshotsResource.detail", "group:get_all_group_snapshots", Level.READER),
          rule("GroupSnapshotsResource.show", "group:get_group_snapshot", Level.READER));

  @Inject Caller caller;

  @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
  public void check(SimpleResourceInfo resource) {
    if (resource == null || resource.getResourceClass() == null) {
      return;
    }
    Rule rule =
        RULES.get(resource.getResourceClass().getSimpleName() + "." + resource.getMethodName());
    if (rule != null) {
      AdminPolicy.require(caller.context(), rule.name(), rule.level());
    }
  }

  private static Map.Entry<String, Rule> rule(String operation, String name, Level level) {
    return Map.entry(operation, new Rule(name, level));
  }
}
