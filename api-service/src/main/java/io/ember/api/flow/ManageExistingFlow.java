package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.config.ApiConfig;
import io.ember.api.fault.CinderFault;
import io.ember.api.fault.Echo;
import io.ember.api.microversion.ApiVersion;
import io.ember.api.outbound.SchedulerCommands;
import io.ember.api.quota.QuotaLedger;
import io.ember.api.quota.QuotaService;
import io.ember.api.service.ServiceDirectory;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.volume.Volume;
import io.ember.api.volume.VolumeClock;
import io.ember.api.volume.VolumeFields;
import io.ember.api.volumeops.VolumeQuotas;
import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.VolumeStatus;
import io.ember.model.contract.ManageExisting;
import io.ember.model.contract.ServiceRecord;
import io.ember.model.flow.LinearFlow;
import io.ember.model.flow.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The API's manage-existing flow, as Cinder's {@code volume/flows/api/manage_existing.py} with the
 * checks of its {@code volume_api.manage_existing}: the request checked, the named host known, the
 * entry in {@code managing} (size 0, shown as {@code creating}) charged one volume, and {@code
 * manage_existing} to the scheduler, all in the caller's transaction. The host sizes the object
 * later; its gigabytes are charged when it reports {@code volume.managed}.
 */
@ApplicationScoped
public class ManageExistingFlow {

  static final String NAME = "volume:manage_existing";

  private static final Logger LOG = Logger.getLogger(ManageExistingFlow.class);

  /** Cinder's {@code volume_utils.extract_id_from_volume_name} for the default template. */
  private static final Pattern VOLUME_NAME =
      Pattern.compile(
          "^volume-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$");

  private static final Set<String> FIELDS =
      Set.of(
          "description",
          "availability_zone",
          "bootable",
          "volume_type",
          "name",
          "host",
          "ref",
          "metadata");

  @Inject VolumeTypeCatalog types;
  @Inject ServiceDirectory services;
  @Inject QuotaService quotas;
  @Inject VolumeQuotas volumeQuotas;
  @Inject SchedulerCommands scheduler;
  @Inject ApiConfig config;

  /** What the tasks share. */
  public static final class Context {
    final JsonNode body;
    final RequestContext caller;
    final ApiVersion version;
    String host;
    Map<String, String> ref;
    String name;
    String description;
    Map<String, String> metadata;
    String availabilityZone;
    boolean bootable;
    VolumeTypeCatalog.Entry type;
    Volume volume;

    public Context(JsonNode body, RequestContext caller, ApiVersion version) {
      this.body = body;
      this.caller = caller;
      this.version = version;
    }

    public Volume volume() {
      return volume;
    }
  }

  /**
   * Runs the flow in the caller's transaction.
   *
   * @throws io.ember.model.flow.FlowFailedException wrapping the {@link CinderFault} of a refusal
   */
  public Volume run(Context context) {
    LinearFlow.of(
            NAME,
            new ExtractManageRequestTask(),
            new CheckHostTask(),
            new ManageQuotaTask(),
            new ManageEntryCreateTask(),
            new ManageCastTask())
        .run(context);
    return context.volume;
  }

  /** The body, with the messages of Cinder's schema and controller. */
  final class ExtractManageRequestTask implements Task<Context> {
    @Override
    public void execute(Context context) {
      JsonNode volume = VolumeFields.root(context.body, "volume");
      Set<String> allowed = new java.util.HashSet<>(FIELDS);
      if (context.version.atLeast(16)) {
        allowed.add("cluster");
      }
      VolumeFields.only(volume, allowed);
      JsonNode ref = volume.get("ref");
      if (ref == null) {
        throw VolumeFields.invalidField("volume", volume, "'ref' is a required property");
      }
      if (!ref.isObject() && !ref.isTextual()) {
        throw VolumeFields.invalidField(
            "ref", ref, Echo.cap(ref.toString()) + " is not of type 'object', 'string'");
      }
      Map<String, String> refs = new LinkedHashMap<>();
      ref.fields().forEachRemaining(e -> refs.put(e.getKey(), e.getValue().asText()));
      context.ref = refs;
      String cluster = context.version.atLeast(16) ? text(volume, "cluster") : null;
      String host = text(volume, "host");
      if ((cluster != null && !cluster.isEmpty()) == (host != null && !host.isEmpty())) {
        throw CinderFault.invalidInput(
            context.version.atLeast(16)
                ? "One and only one of cluster and host must be set."
                : "Host field is missing.");
      }
      if (cluster != null && !cluster.isEmpty()) {
        // Ember has no clusters: none is ever found.
        throw new CinderFault(503, "Cluster '" + Echo.cap(cluster) + "' not found");
      }
      context.host = host;
      String name = VolumeFields.optionalString(volume, "name");
      context.name = name == null || name.isEmpty() ? null : name.strip();
      String description = VolumeFields.optionalString(volume, "description");
      context.description =
          description == null || description.isEmpty() ? null : description.strip();
      context.metadata = VolumeFields.metadata(volume.get("metadata"));
      context.availabilityZone = VolumeFields.optionalString(volume, "availability_zone");
      JsonNode bootable = volume.get("bootable");
      context.bootable =
          bootable != null && !bootable.isNull() && VolumeFields.flag("bootable", bootable);
      String typeAsked = VolumeFields.optionalString(volume, "volume_type");
      if (typeAsked != null && !typeAsked.isEmpty()) {
        context.type = types.usable(typeAsked, context.caller.projectId(), true);
        if (context.type == null) {
          throw new CinderFault(
              400,
              "Invalid volume type: Cannot find requested '"
                  + Echo.cap(typeAsked)
                  + "' volume type");
        }
      } else {
        context.type = types.byName(config.defaultVolumeType());
      }
      String source = context.ref.get("source-name");
      if (source != null) {
        var named = VOLUME_NAME.matcher(source);
        if (named.matches() && Volume.findById(UUID.fromString(named.group(1))) != null) {
          throw CinderFault.invalidVolume(
              "Unable to manage existing volume. The volume is already managed");
        }
      }
      if (context.type != null
          && context.type.id() != null
          && types.isEncrypted(context.type.id())) {
        throw new CinderFault(
            400, "Invalid volume type: Managing to an encrypted volume type is not supported.");
      }
    }

    private static String text(JsonNode volume, String field) {
      return VolumeFields.optionalString(volume, field);
    }
  }

  /**
   * Cinder's {@code _get_service_by_host_cluster}: the named backend must be a volume service this
   * API has heard of (503 as Cinder's controller turns ServiceNotFound); its zone is the default.
   */
  final class CheckHostTask implements Task<Context> {
    @Override
    public void execute(Context context) {
      HostAddress address = HostAddress.parse(context.host);
      var service = services.find(ServiceRecord.VOLUME_BINARY, address.backendHost());
      if (service.isEmpty()) {
        throw new CinderFault(503, "Host '" + Echo.cap(context.host) + "' not found");
      }
      if (context.availabilityZone == null) {
        context.availabilityZone = service.get().zone();
      }
    }
  }

  /** One volume of the type charged now; the gigabytes when the host has sized it. */
  final class ManageQuotaTask implements Task<Context> {
    @Override
    public void execute(Context context) {
      QuotaLedger quota = quotas.open(context.caller.projectId());
      quota.commit(quota.reserve(volumeQuotas.of(0, typeId(context))));
      quotas.close(quota);
    }
  }

  /** The entry in {@code managing}, on the named host (its pool, if named, else the backend). */
  static final class ManageEntryCreateTask implements Task<Context> {
    @Override
    public void execute(Context context) {
      Volume volume = new Volume();
      volume.id = UUID.randomUUID();
      volume.projectId = context.caller.projectId();
      volume.userId = context.caller.userId();
      volume.name = context.name;
      volume.description = context.description;
      volume.size = 0;
      volume.status = VolumeStatus.MANAGING.wire();
      volume.attachStatus = "detached";
      volume.availabilityZone = context.availabilityZone;
      volume.host = context.host;
      volume.metadata = new LinkedHashMap<>(context.metadata);
      volume.volumeTypeId = typeId(context);
      volume.bootable = context.bootable;
      volume.requestId = context.caller.requestId();
      volume.createdAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
      volume.updatedAt = volume.createdAt;
      volume.persist();
      context.volume = volume;
    }
  }

  /** {@code manage_existing} to the scheduler through the outbox. */
  final class ManageCastTask implements Task<Context> {
    @Override
    public void execute(Context context) {
      Volume volume = context.volume;
      var spec =
          volume.spec(context.type == null ? Map.of() : context.type.extraSpecs()).withSource(null);
      scheduler.manageExisting(new ManageExisting(spec, context.host, context.ref), context.caller);
      LOG.infof(
          "volume %s managing %s on %s, cast to scheduler", volume.id, context.ref, context.host);
    }
  }

  private static UUID typeId(Context context) {
    return context.type == null ? null : context.type.id();
  }
}
