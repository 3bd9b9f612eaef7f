package io.ember.api.rest;

import jakarta.ws.rs.Path;

/** {@code /os-snapshot-manage}: Cinder's legacy path of {@link ManageableSnapshotsResource}. */
@Path("/v3/{project_id}/os-snapshot-manage")
public class OsSnapshotManageResource extends ManageableSnapshotsResource {

  @Override
  int since() {
    return 0;
  }
}
