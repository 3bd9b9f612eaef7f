package io.ember.api.flow;

import io.ember.api.quota.QuotaService;
import io.ember.model.flow.Task;

/** Reserves the new volume's quota; a 413 here leaves nothing behind. */
public class QuotaReserveTask implements Task<CreateVolumeRequest> {

  private final QuotaService quotas;

  public QuotaReserveTask(QuotaService quotas) {
    this.quotas = quotas;
  }

  @Override
  public void execute(CreateVolumeRequest request) {
    request.reservation = quotas.reserve(request.caller.projectId(), request.quotaDeltas);
  }

  @Override
  public void revert(CreateVolumeRequest request, Throwable cause) {
    quotas.rollback(request.reservation);
  }
}
