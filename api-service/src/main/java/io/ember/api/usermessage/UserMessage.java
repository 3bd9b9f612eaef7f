package io.ember.api.usermessage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.UUID;

/** A message for the user about a failed asynchronous operation (Cinder's messages API). */
@Entity
@Table(name = "messages")
public class UserMessage extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "project_id")
  public String projectId;

  @Column(name = "event_id")
  public String eventId;

  @Column(name = "user_message")
  public String userMessage;

  @Column(name = "message_level")
  public String level;

  @Column(name = "resource_type")
  public String resourceType;

  @Column(name = "resource_uuid")
  public String resourceUuid;

  @Column(name = "request_id")
  public String requestId;

  @Column(name = "created_at")
  public LocalDateTime createdAt;

  @Column(name = "guaranteed_until")
  public LocalDateTime guaranteedUntil;
}
