package io.ember.api.rest;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /v3/{project_id}/volume-transfers}: the transfer API of 3.55, {@code no_snapshots} too.
 */
@Path("/v3/{project_id}/volume-transfers")
@Tag(name = "volume-transfers", description = "Volume transfers between projects (3.55+).")
@Produces(MediaType.APPLICATION_JSON)
public class VolumeTransfersResource extends TransferEndpoints {

  @Override
  boolean legacy() {
    return false;
  }
}
