package io.ember.api.housekeeping;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The periodic jobs (deadline sweep, quota audit) on a test's time scale. */
public class FastHousekeeping implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "ember.deadlines.creating", "2s",
        "ember.deadlines.deleting", "2s",
        "ember.deadlines.extending", "2s",
        "ember.deadlines.migrating", "2s",
        "ember.deadlines.uploading", "2s",
        "ember.deadlines.retyping", "2s",
        "ember.deadlines.sweep-every", "1s",
        "ember.quota-audit.every", "1s");
  }
}
