package io.ember.api.flow;

import io.ember.model.flow.Task;

/** Turns the reservation into usage; reverting gives the usage back. */
public class QuotaCommitTask implements Task<CreateVolumeRequest> {

  @Override
  public void execute(CreateVolumeRequest request) {
    request.quota.commit(request.reservation);
  }

  @Override
  public void revert(CreateVolumeRequest request, Throwable cause) {
    request.quota.release(request.quotaDeltas);
  }
}
