package io.ember.volume.flow;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.VolumeSpec;
import io.ember.volume.driver.DriverVolume;
import java.util.Map;

/** What the tasks of the manager create flow share: the command, and what each task found out. */
public final class CreateVolumeContext {

  final RequestContext requestContext;
  final CreateVolume command;

  /** Set by {@link ExtractVolumeSpecTask}. */
  VolumeSpec spec;

  HostAddress pool;
  DriverVolume volume;

  /** Set by {@link CreateVolumeFromSpecTask}. */
  String providerLocation;

  /**
   * Set by {@link CreateVolumeFromSpecTask} for a volume made from an image: its bootable flag
   * (null for any other source: the API keeps what it inherited) and the image's properties.
   */
  Boolean bootable;

  Map<String, String> imageMetadata = Map.of();

  /** Set by the failure task's revert: what became of the volume. */
  String failureOutcome;

  public CreateVolumeContext(RequestContext requestContext, CreateVolume command) {
    this.requestContext = requestContext;
    this.command = command;
  }

  public String providerLocation() {
    return providerLocation;
  }

  public Boolean bootable() {
    return bootable;
  }

  public Map<String, String> imageMetadata() {
    return imageMetadata;
  }

  /** {@code rescheduled} or {@code error}, once the flow has failed and reverted. */
  public String failureOutcome() {
    return failureOutcome;
  }

  static String reason(Throwable cause) {
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
