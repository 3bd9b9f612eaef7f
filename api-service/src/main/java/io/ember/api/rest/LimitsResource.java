package io.ember.api.rest;

import io.ember.api.auth.Caller;
import io.ember.api.quota.QuotaService;
import io.ember.api.quota.QuotaUsage;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /v3/{project_id}/limits}: absolute limits and usage of the caller's project. */
@Path("/v3/{project_id}/limits")
@Tag(name = "limits", description = "Absolute limits and usage of the caller's project.")
@Produces(MediaType.APPLICATION_JSON)
public class LimitsResource {

  @Inject Caller caller;
  @Inject QuotaService quotas;

  @GET
  @Operation(summary = "Show absolute limits and usage")
  public Map<String, Object> limits() {
    Map<String, QuotaUsage> u = quotas.usage(caller.projectId());
    Map<String, Object> absolute = new LinkedHashMap<>();
    absolute.put("maxTotalVolumes", u.get("volumes").limit());
    absolute.put("maxTotalSnapshots", u.get("snapshots").limit());
    absolute.put("maxTotalVolumeGigabytes", u.get("gigabytes").limit());
    absolute.put("maxTotalBackups", u.get("backups").limit());
    absolute.put("maxTotalBackupGigabytes", u.get("backup_gigabytes").limit());
    absolute.put("totalVolumesUsed", u.get("volumes").inUse());
    absolute.put("totalGigabytesUsed", u.get("gigabytes").inUse());
    absolute.put("totalSnapshotsUsed", u.get("snapshots").inUse());
    absolute.put("totalBackupsUsed", u.get("backups").inUse());
    absolute.put("totalBackupGigabytesUsed", u.get("backup_gigabytes").inUse());
    return Map.of("limits", Map.of("rate", List.of(), "absolute", absolute));
  }
}
