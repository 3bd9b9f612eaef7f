package io.ember.scheduler.flow;

import io.ember.model.contract.Envelope;
import io.ember.model.contract.Retry;
import io.ember.model.contract.VolumeSpec;

/** What the create-volume flow's tasks share: the request as received and what they make of it. */
public final class CreateVolumeContext {

  private final Envelope request;
  private VolumeSpec volume;
  private Retry retry;

  public CreateVolumeContext(Envelope request) {
    this.request = request;
  }

  public Envelope request() {
    return request;
  }

  public VolumeSpec volume() {
    return volume;
  }

  /** The attempts before this one. */
  public Retry retry() {
    return retry;
  }

  void setRequestSpec(VolumeSpec volume, Retry retry) {
    this.volume = volume;
    this.retry = retry;
  }
}
