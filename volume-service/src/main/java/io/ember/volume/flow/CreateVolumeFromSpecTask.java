package io.ember.volume.flow;

import io.ember.model.flow.Task;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.driver.VolumeDriverException;

/**
 * Has the driver create the volume. Only raw volumes exist so far: the command carries no snapshot,
 * source volume or image.
 */
final class CreateVolumeFromSpecTask implements Task<CreateVolumeContext> {

  private final VolumeDriver driver;

  CreateVolumeFromSpecTask(VolumeDriver driver) {
    this.driver = driver;
  }

  @Override
  public void execute(CreateVolumeContext context) {
    if (!driver.initialized()) {
      throw new VolumeDriverException("volume driver is not initialized");
    }
    context.providerLocation = driver.createVolume(context.volume).providerLocation();
  }
}
