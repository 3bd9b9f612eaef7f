package io.ember.api.attachment;

import io.ember.api.flow.CallFlow;
import io.ember.model.RequestContext;
import io.ember.model.contract.ConnectionInfo;
import io.ember.model.reply.Reply;
import java.util.Map;
import java.util.UUID;

/** The context of an attachment's call to its volume host, shared by the flow's tasks. */
public final class AttachmentCall implements CallFlow.Context {

  private final RequestContext caller;
  public final UUID volumeId;

  /** The attachment the call is about; null for the legacy connection calls. */
  public UUID attachmentId;

  public Map<String, Object> connector;
  public String mode;
  public boolean force;
  public String instanceUuid;
  public String hostName;
  public String mountpoint;

  /** Filled by the first task from the volume: where the call goes and what it carries. */
  public String pool;

  public String projectId;
  public Map<String, String> qosSpecs;
  public boolean encrypted;

  /** The attachment as shown before the call (Cinder answers an update with the old status). */
  public Attachment before;

  private Reply reply;
  public ConnectionInfo connection;

  public AttachmentCall(RequestContext caller, UUID volumeId, UUID attachmentId) {
    this.caller = caller;
    this.volumeId = volumeId;
    this.attachmentId = attachmentId;
  }

  @Override
  public RequestContext caller() {
    return caller;
  }

  @Override
  public void reply(Reply reply) {
    this.reply = reply;
  }

  public Reply reply() {
    return reply;
  }
}
