package io.ember.api.group;

import java.util.UUID;

/** The group snapshots rows a group's delete checks (Ember has no group snapshot API yet). */
final class GroupSnapshotRows {

  private GroupSnapshotRows() {}

  static boolean exist(UUID groupId) {
    Number count =
        (Number)
            Group.getEntityManager()
                .createNativeQuery("select count(*) from group_snapshots where group_id = :g")
                .setParameter("g", groupId)
                .getSingleResult();
    return count.longValue() > 0;
  }
}
