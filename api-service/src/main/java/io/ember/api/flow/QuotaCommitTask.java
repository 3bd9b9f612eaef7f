package io.ember.api.flow;

import io.ember.model.flow.Task;

/** Turns the reservation into usage; reverting gives the usage back. */
public class QuotaCommitTask implements Task<CreateVolumeContext> {

  @Override
  public void execute(CreateVolumeContext context) {
    context.quota.commit(context.reservation);
  }

  @Override
  public void revert(CreateVolumeContext context, Throwable cause) {
    context.quota.release(context.quotaDeltas);
  }
}
