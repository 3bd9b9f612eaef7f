package io.ember.api.flow;

import io.ember.api.quota.QuotaService;
import io.ember.model.flow.Task;

/** Turns the reservation into usage; reverting gives the usage back. */
public class QuotaCommitTask implements Task<CreateVolumeRequest> {

  private final QuotaService quotas;

  public QuotaCommitTask(QuotaService quotas) {
    this.quotas = quotas;
  }

  @Override
  public void execute(CreateVolumeRequest request) {
    quotas.commit(request.reservation);
  }

  @Override
  public void revert(CreateVolumeRequest request, Throwable cause) {
    quotas.release(request.caller.projectId(), request.quotaDeltas);
  }
}
