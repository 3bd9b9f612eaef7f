package io.ember.api.attachment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.UUID;

/** One attachment of a volume (Cinder's {@code VolumeAttachment}). Times are UTC. */
@Entity
@Table(name = "volume_attachments")
public class Attachment extends PanacheEntityBase {

  public static final String RESERVED = "reserved";
  public static final String ATTACHING = "attaching";
  public static final String ATTACHED = "attached";
  public static final String DETACHING = "detaching";

  /**
   * The {@link #previousStatus} of a legacy {@code os-attach}'s row while its call is in flight:
   * the row did not exist before, so undoing the call removes it.
   */
  public static final String NONE = "detached";

  @Id public UUID id;

  @Column(name = "volume_id")
  public UUID volumeId;

  @Column(name = "project_id")
  public String projectId;

  @Column(name = "instance_uuid")
  public String instanceUuid;

  /** The connector's host (Cinder's {@code attached_host}): the volume body's {@code host_name}. */
  @Column(name = "attached_host")
  public String attachedHost;

  public String mountpoint;

  /** {@code rw} or {@code ro}; null when the caller gave none (before 3.54). */
  @Column(name = "attach_mode")
  public String attachMode;

  @Column(name = "attach_status")
  public String attachStatus;

  /** Set while a call to the host is in flight: what to go back to if it never answers. */
  @Column(name = "previous_status")
  public String previousStatus;

  /** The connector as JSON, once one was given. */
  public String connector;

  /** The connection as the attachment view shows it, as JSON, once the host gave it. */
  @Column(name = "connection_info")
  public String connectionInfo;

  @Column(name = "attach_time")
  public LocalDateTime attachTime;

  @Column(name = "detach_time")
  public LocalDateTime detachTime;

  @Column(name = "created_at")
  public LocalDateTime createdAt;

  @Column(name = "updated_at")
  public LocalDateTime updatedAt;

  /** Whether a connection was opened for it (its delete must ask the host to close it). */
  public boolean connected() {
    return ATTACHING.equals(attachStatus) || ATTACHED.equals(attachStatus);
  }
}
