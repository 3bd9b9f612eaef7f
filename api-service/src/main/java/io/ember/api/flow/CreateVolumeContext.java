package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.quota.ProjectQuota;
import io.ember.api.quota.Reservation;
import io.ember.api.type.VolumeTypeCatalog;
import io.ember.api.volume.Volume;
import io.ember.model.RequestContext;
import java.util.Map;
import java.util.UUID;

/** What the api create-volume flow's tasks share: the raw request in, the checked values out. */
public class CreateVolumeContext {

  final JsonNode body;
  final RequestContext caller;

  int size;
  String name;
  String description;
  String availabilityZone;
  Map<String, String> metadata;
  VolumeTypeCatalog.Entry type;
  UUID snapshotId;
  UUID sourceVolid;
  String imageId;
  boolean bootable;

  /** The pool holding the snapshot's volume or the source volume: the new one goes there. */
  String sourceHost;

  /** The group the volume joins (3.13 {@code group_id}); its volumes go to its backend. */
  UUID groupId;

  UUID encryptionKeyId;
  Map<String, Integer> quotaDeltas;
  ProjectQuota quota;
  Reservation reservation;
  Volume volume;

  public CreateVolumeContext(JsonNode body, RequestContext caller) {
    this.body = body;
    this.caller = caller;
  }

  /** The project's quota in the transaction the flow runs in (shared by a batch of creates). */
  public void useQuota(ProjectQuota quota) {
    this.quota = quota;
  }

  public RequestContext caller() {
    return caller;
  }

  /** The created entry, once the flow has run. */
  public Volume volume() {
    return volume;
  }
}
