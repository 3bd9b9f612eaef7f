package io.ember.api.rest;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v3/{project_id}/os-volume-transfer}: Cinder's legacy transfer extension, whose create
 * always transfers the snapshots.
 */
@Path("/v3/{project_id}/os-volume-transfer")
@Tag(name = "os-volume-transfer", description = "Volume transfers between projects (legacy).")
@Produces(MediaType.APPLICATION_JSON)
public class OsVolumeTransferResource extends TransferEndpoints {

  @Override
  boolean legacy() {
    return true;
  }
}
