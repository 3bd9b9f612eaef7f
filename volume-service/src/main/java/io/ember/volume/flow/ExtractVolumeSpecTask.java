package io.ember.volume.flow;

import io.ember.model.HostAddress;
import io.ember.model.contract.ContractException;
import io.ember.model.contract.VolumeSpec;
import io.ember.model.flow.Task;
import io.ember.volume.driver.DriverVolume;

/**
 * Checks the command and works out what to create. A command that can never succeed here (no
 * volume, bad size, a pool of another host) is a {@link ContractException}: it is dead-lettered,
 * not retried.
 *
 * <p>It does the work of Cinder's first two tasks: {@code ExtractVolumeRefTask} loads the volume
 * row from the database, but a volume host owns no volume rows, so the spec is the one the command
 * carries. It runs before the failure task, which needs the spec and pool it sets.
 */
final class ExtractVolumeSpecTask implements Task<CreateVolumeContext> {

  private final String host;

  ExtractVolumeSpecTask(String host) {
    this.host = host;
  }

  @Override
  public void execute(CreateVolumeContext context) {
    VolumeSpec spec = context.command.volume();
    if (spec == null || spec.volumeId() == null || spec.volumeId().isBlank()) {
      throw new ContractException("create_volume without a volume id");
    }
    if (spec.size() <= 0) {
      throw new ContractException("volume size must be a positive integer, got " + spec.size());
    }
    if (context.command.pool() == null) {
      throw new ContractException("create_volume without a pool");
    }
    HostAddress pool = HostAddress.parse(context.command.pool());
    if (!pool.backendHost().equals(host) || pool.pool() == null) {
      throw new ContractException("pool " + pool + " is not a pool of " + host);
    }
    context.spec = spec;
    context.pool = pool;
    context.volume =
        new DriverVolume(
            spec.volumeId(), spec.size(), pool.pool(), spec.metadata(), null, spec.qosSpecs());
  }
}
