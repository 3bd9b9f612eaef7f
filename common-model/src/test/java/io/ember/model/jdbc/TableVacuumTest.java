package io.ember.model.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.jdbc.TableVacuum.Mode;
import org.junit.jupiter.api.Test;

class TableVacuumTest {

  @Test
  void autoVacuumsOnlyWhereTheServerDoesNot() {
    assertTrue(TableVacuum.needed(Mode.AUTO, "off"));
    assertFalse(TableVacuum.needed(Mode.AUTO, "on"));
    // Unknown (the setting could not be read): vacuuming is the harmless side.
    assertTrue(TableVacuum.needed(Mode.AUTO, null));
  }

  @Test
  void alwaysAndNeverIgnoreTheServer() {
    assertTrue(TableVacuum.needed(Mode.ALWAYS, "on"));
    assertFalse(TableVacuum.needed(Mode.NEVER, "off"));
  }
}
