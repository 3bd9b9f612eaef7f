package io.ember.scheduler.flow;

import io.ember.model.contract.Envelope;
import io.ember.model.contract.ScheduleExtend;
import io.ember.scheduler.placement.Placement;

/** What the extend flow's tasks share: the request as received and the pool that passed. */
public final class ExtendVolumeContext {

  private final Envelope request;
  private final ScheduleExtend extend;
  private Placement placement;

  public ExtendVolumeContext(Envelope request) {
    this.request = request;
    this.extend = request.payloadAs(ScheduleExtend.class);
  }

  public Envelope request() {
    return request;
  }

  public ScheduleExtend extend() {
    return extend;
  }

  /** The GiB the extend adds: what the pool must still have room for. */
  public int addedGb() {
    return extend.newSize() - extend.volume().size();
  }

  public Placement placement() {
    return placement;
  }

  void setPlacement(Placement placement) {
    this.placement = placement;
  }
}
