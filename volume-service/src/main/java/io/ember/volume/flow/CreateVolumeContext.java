package io.ember.volume.flow;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.CreateVolume;
import io.ember.model.contract.VolumeSpec;
import io.ember.volume.driver.DriverVolume;

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

  /** Set by the failure task's revert: what became of the volume. */
  String failureOutcome;

  public CreateVolumeContext(RequestContext requestContext, CreateVolume command) {
    this.requestContext = requestContext;
    this.command = command;
  }

  public String providerLocation() {
    return providerLocation;
  }

  /** {@code rescheduled} or {@code error}, once the flow has failed and reverted. */
  public String failureOutcome() {
    return failureOutcome;
  }

  static String reason(Throwable cause) {
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
