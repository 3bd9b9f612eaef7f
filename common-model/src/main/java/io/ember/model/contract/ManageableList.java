package io.ember.model.contract;

import java.util.List;
import java.util.Map;

/** A host's answer to {@link ListManageable}: every object its backend holds, in no order. */
public record ManageableList(List<Item> items) {

  public ManageableList {
    items = items == null ? List.of() : List.copyOf(items);
  }

  /**
   * One backend object, as Cinder's drivers describe it.
   *
   * @param reference how to name it in a manage request, e.g. {@code {"source-name": "..."}}
   * @param cinderId the Ember id of a managed object, else null
   * @param sourceReference for a snapshot, its volume's reference; null for a volume
   */
  public record Item(
      Map<String, String> reference,
      int size,
      boolean safeToManage,
      String reasonNotSafe,
      String cinderId,
      Map<String, String> extraInfo,
      Map<String, String> sourceReference) {}
}
