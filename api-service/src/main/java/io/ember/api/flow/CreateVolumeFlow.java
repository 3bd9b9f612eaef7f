package io.ember.api.flow;

import io.ember.api.config.ApiConfig;
import io.ember.api.outbound.SchedulerCommands;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.volume.VolumeRows;
import io.ember.model.flow.LinearFlow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The api side of create-volume, assembled in one place as Cinder's {@code get_flow()}: extract and
 * validate → reserve quota → entry in {@code creating} → commit quota → cast to the scheduler. The
 * caller runs it in a database transaction, possibly together with other creates of the project.
 */
@ApplicationScoped
public class CreateVolumeFlow {

  @Inject ApiConfig config;
  @Inject VolumeRows rows;
  @Inject SchedulerCommands scheduler;
  @Inject VolumeTypeCatalog types;

  public LinearFlow<CreateVolumeContext> build() {
    return LinearFlow.of(
        "volume:create_api",
        new ExtractVolumeRequestTask(
            config.availabilityZones(),
            config.defaultAvailabilityZone(),
            (nameOrId, caller) -> types.usable(nameOrId, caller.projectId(), caller.isAdmin()),
            config.defaultVolumeType()),
        new QuotaReserveTask(),
        new EntryCreateTask(rows),
        new QuotaCommitTask(),
        new VolumeCastTask(scheduler, typeId -> Optional.ofNullable(types.qosOf(typeId))));
  }
}
