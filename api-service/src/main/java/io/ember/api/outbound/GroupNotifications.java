package io.ember.api.outbound;

import io.ember.api.group.Group;
import io.ember.api.group.GroupSnapshot;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.Notification;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The notifications about groups and group snapshots ({@code group.*}, {@code group_snapshot.*}),
 * through the outbox of the transaction. Cinder's volume manager sends them, published as {@code
 * group.<host@backend>} / {@code group_snapshot.<host@backend>}; Ember's API does the manager's
 * part for groups, so it sends them, named after the group's backend. Keyed by the group (snapshot)
 * id, so one group's events keep their order.
 */
@ApplicationScoped
public class GroupNotifications {

  @Inject Outbox outbox;
  @Inject Topics topics;

  /**
   * Cinder's {@code notify_about_group_usage}: {@code eventType} ({@code group.create.start} ...)
   * with {@code _usage_from_group}; {@code status} as the event shows it (Cinder's manager sends
   * {@code update.start} while the group is {@code updating}).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void group(RequestContext caller, Group group, String eventType, String status) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("tenant_id", group.projectId);
    payload.put("user_id", group.userId);
    payload.put("availability_zone", group.availabilityZone);
    payload.put("group_id", group.id.toString());
    payload.put("group_type", group.groupTypeId.toString());
    payload.put("name", group.name);
    payload.put("created_at", iso(group.createdAt));
    payload.put("status", status);
    send(caller, group.id.toString(), "group." + backend(group.host), eventType, payload);
  }

  /** Cinder's {@code notify_about_group_snapshot_usage} ({@code _usage_from_group_snapshot}). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void groupSnapshot(
      RequestContext caller, GroupSnapshot snapshot, String groupHost, String eventType) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("tenant_id", snapshot.projectId);
    payload.put("user_id", snapshot.userId);
    payload.put("group_snapshot_id", snapshot.id.toString());
    payload.put("name", snapshot.name);
    payload.put("group_id", snapshot.groupId.toString());
    payload.put("group_type", snapshot.groupTypeId.toString());
    payload.put("created_at", iso(snapshot.createdAt));
    payload.put("status", snapshot.status);
    send(
        caller, snapshot.id.toString(), "group_snapshot." + backend(groupHost), eventType, payload);
  }

  private void send(
      RequestContext caller,
      String key,
      String publisher,
      String eventType,
      Map<String, Object> payload) {
    outbox.send(
        topics.notifications(),
        Envelope.of(
            MessageType.NOTIFICATION,
            key,
            caller,
            Notification.info(publisher, eventType, payload)));
  }

  private static String iso(LocalDateTime at) {
    return at == null ? null : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(at);
  }

  /** {@code host@backend} of a pool ({@code host@backend#pool}), as Cinder's manager's host. */
  private static String backend(String pool) {
    if (pool == null) {
      return "api";
    }
    int hash = pool.indexOf('#');
    return hash < 0 ? pool : pool.substring(0, hash);
  }
}
