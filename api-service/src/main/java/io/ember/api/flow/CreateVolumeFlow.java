package io.ember.api.flow;

import io.ember.api.config.EmberConfig;
import io.ember.api.volume.VolumeRows;
import io.ember.model.Topics;
import io.ember.model.flow.LinearFlow;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The api side of create-volume, assembled in one place as Cinder's {@code get_flow()}: extract and
 * validate → reserve quota → entry in {@code creating} → commit quota → cast to the scheduler. The
 * caller runs it in a database transaction, possibly together with other creates of the project.
 */
@ApplicationScoped
public class CreateVolumeFlow {

  @Inject Outbox outbox;
  @Inject VolumeRows rows;
  @Inject EmberConfig config;
  @Inject Topics topics;

  public LinearFlow<CreateVolumeRequest> build() {
    return LinearFlow.of(
        "volume:create_api",
        new ExtractVolumeRequestTask(config.availabilityZones(), config.defaultAvailabilityZone()),
        new QuotaReserveTask(),
        new EntryCreateTask(rows),
        new QuotaCommitTask(),
        new VolumeCastTask(outbox, topics));
  }
}
