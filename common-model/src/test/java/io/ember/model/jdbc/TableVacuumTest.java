package io.ember.model.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.model.config.SharedConfig.Vacuum.Mode;
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

  @Test
  void aTableWithFewChangesIsLeftAlone() {
    assertNull(new TableStats("inbox", 100_000, 0, 9_000, 20_000).command());
    assertNull(new TableStats("outbox", 0, 50, 50, 50).command());
  }

  @Test
  void deadRowsBeyondAFifthOfTheLiveOnesAskForAVacuum() {
    // 50 + 0.2 x 1000 = 250 dead rows are tolerated; the changes also ask for an analyze.
    assertNull(new TableStats("volumes", 1_000, 250, 100, 0).command());
    assertEquals("vacuum volumes", new TableStats("volumes", 1_000, 251, 100, 0).command());
    assertEquals(
        "vacuum (analyze) outbox", new TableStats("outbox", 10, 4_000, 8_000, 0).command());
  }

  @Test
  void aTableThatOnlyGrowsIsVacuumedAfterEnoughInsertsAndAnalyzedAfterATenth() {
    assertEquals("vacuum inbox", new TableStats("inbox", 100_000, 0, 0, 21_001).command());
    assertEquals("analyze inbox", new TableStats("inbox", 100_000, 0, 10_051, 10_051).command());
  }
}
