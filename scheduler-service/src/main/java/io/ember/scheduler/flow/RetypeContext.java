package io.ember.scheduler.flow;

import io.ember.model.contract.Envelope;
import io.ember.model.contract.ScheduleRetype;
import io.ember.scheduler.capability.PoolState;

/** What the retype flow's tasks share: the request as received and the pool found for it. */
public final class RetypeContext {

  private final Envelope request;
  private final ScheduleRetype retype;
  private PoolState target;

  public RetypeContext(Envelope request) {
    this.request = request;
    this.retype = request.payloadAs(ScheduleRetype.class);
  }

  public Envelope request() {
    return request;
  }

  public ScheduleRetype retype() {
    return retype;
  }

  public PoolState target() {
    return target;
  }

  void setTarget(PoolState target) {
    this.target = target;
  }
}
