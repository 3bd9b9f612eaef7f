package io.ember.api.flow;

import io.ember.model.flow.Task;

/** Reserves the new volume's quota; a 413 here leaves nothing behind. */
public class QuotaReserveTask implements Task<CreateVolumeRequest> {

  @Override
  public void execute(CreateVolumeRequest request) {
    request.reservation = request.quota.reserve(request.quotaDeltas);
  }

  @Override
  public void revert(CreateVolumeRequest request, Throwable cause) {
    request.quota.rollback(request.reservation);
  }
}
