package io.ember.api.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.api.group.Group;
import io.ember.api.group.GroupStatus;
import io.ember.api.quota.ProjectQuota;
import io.ember.api.quota.Reservation;
import io.ember.api.volume.VolumeClock;
import io.ember.model.RequestContext;
import io.ember.model.flow.Task;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The tasks a group's create has in common, from a request ({@link CreateGroupFlow}) or from a
 * source ({@link CreateGroupFromSourceFlow}): the {@code groups} quota and the group's row.
 */
final class GroupCreateTasks {

  private GroupCreateTasks() {}

  /** What every group create's tasks share. */
  abstract static class Context {
    final JsonNode body;
    final RequestContext caller;
    final ProjectQuota quota;
    String name;
    String description;
    Reservation reservation;
    Group group;

    Context(JsonNode body, RequestContext caller, ProjectQuota quota) {
      this.body = body;
      this.caller = caller;
      this.quota = quota;
    }

    public Group group() {
      return group;
    }
  }

  /** Holds one {@code groups}; a 413 here leaves nothing behind. */
  static final class QuotaReserve<C extends Context> implements Task<C> {

    @Override
    public void execute(C context) {
      context.reservation = context.quota.reserve(CreateGroupFlow.GROUP_QUOTA);
    }

    @Override
    public void revert(C context, Throwable cause) {
      context.quota.rollback(context.reservation);
    }
  }

  /** Turns the reservation into usage; reverting gives it back. */
  static final class QuotaCommit<C extends Context> implements Task<C> {

    @Override
    public void execute(C context) {
      context.quota.commit(context.reservation);
    }

    @Override
    public void revert(C context, Throwable cause) {
      context.quota.release(CreateGroupFlow.GROUP_QUOTA);
    }
  }

  /**
   * The group's row in {@code creating}, the caller's; {@link #describe} adds what the create
   * decided (type, volume types, zone, backend) and may refuse. Reverting removes the row.
   */
  abstract static class EntryCreate<C extends Context> implements Task<C> {

    abstract void describe(C context, Group group);

    @Override
    public void execute(C context) {
      Group group = new Group();
      group.id = UUID.randomUUID();
      group.projectId = context.caller.projectId();
      group.userId = context.caller.userId();
      group.name = context.name;
      group.description = context.description;
      group.status = GroupStatus.CREATING;
      group.requestId = context.caller.requestId();
      group.createdAt = VolumeClock.now().truncatedTo(ChronoUnit.MICROS);
      describe(context, group);
      group.persist();
      context.group = group;
    }

    @Override
    public void revert(C context, Throwable cause) {
      if (context.group != null) {
        context.group.delete();
      }
    }
  }
}
