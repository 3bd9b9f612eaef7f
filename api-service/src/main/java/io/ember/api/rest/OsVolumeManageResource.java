package io.ember.api.rest;

import jakarta.ws.rs.Path;

/** {@code /os-volume-manage}: Cinder's legacy path of {@link ManageableVolumesResource}. */
@Path("/v3/{project_id}/os-volume-manage")
public class OsVolumeManageResource extends ManageableVolumesResource {

  @Override
  int since() {
    return 0;
  }
}
