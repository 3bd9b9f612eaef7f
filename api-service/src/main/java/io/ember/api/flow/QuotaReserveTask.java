package io.ember.api.flow;

import io.ember.model.flow.Task;

/** Reserves the new volume's quota; a 413 here leaves nothing behind. */
public class QuotaReserveTask implements Task<CreateVolumeContext> {

  @Override
  public void execute(CreateVolumeContext context) {
    context.reservation = context.quota.reserve(context.quotaDeltas);
  }

  @Override
  public void revert(CreateVolumeContext context, Throwable cause) {
    context.quota.rollback(context.reservation);
  }
}
