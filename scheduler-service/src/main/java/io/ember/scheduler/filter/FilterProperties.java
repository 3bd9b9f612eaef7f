package io.ember.scheduler.filter;

import io.ember.model.contract.Retry;
import io.ember.model.contract.VolumeSpec;

/**
 * What filters and weighers judge a pool against: Cinder's {@code request_spec} plus {@code
 * filter_properties['retry']}.
 *
 * @param retry the attempts so far, this one included
 */
public record FilterProperties(VolumeSpec volume, Retry retry) {

  /** The type's extra spec that asks for {@code thin} or {@code thick} volumes. */
  public static final String PROVISIONING_TYPE = "provisioning:type";

  public int sizeGb() {
    return volume.size();
  }

  /** Thin unless the volume type asks for thick, as Cinder reads {@code provisioning:type}. */
  public boolean thinProvisioningRequested() {
    return !"thick".equals(volume.extraSpecs().get(PROVISIONING_TYPE));
  }
}
