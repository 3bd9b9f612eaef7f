package io.ember.model.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearFlowTest {

  /** A task that records what happened to it in the shared journal. */
  record Step(String name, boolean fails, boolean revertFails) implements Task<List<String>> {
    @Override
    public void execute(List<String> journal) {
      journal.add("execute " + name);
      if (fails) {
        throw new IllegalStateException(name + " broke");
      }
    }

    @Override
    public void revert(List<String> journal, Throwable cause) {
      journal.add("revert " + name + " because " + cause.getMessage());
      if (revertFails) {
        throw new IllegalArgumentException("revert of " + name + " broke");
      }
    }
  }

  @Test
  void runsEveryTaskInOrderWhenNothingFails() {
    List<String> journal = new ArrayList<>();
    LinearFlow.of("f", new Step("a", false, false), new Step("b", false, false)).run(journal);
    assertEquals(List.of("execute a", "execute b"), journal);
  }

  @Test
  void revertsFinishedTasksInReverseOrderAndReportsTheCause() {
    List<String> journal = new ArrayList<>();
    LinearFlow<List<String>> flow =
        LinearFlow.of(
            "create",
            new Step("a", false, false),
            new Step("b", false, false),
            new Step("c", true, false),
            new Step("d", false, false));

    FlowFailedException failure = assertThrows(FlowFailedException.class, () -> flow.run(journal));

    assertEquals(
        List.of(
            "execute a",
            "execute b",
            "execute c",
            "revert b because c broke",
            "revert a because c broke"),
        journal);
    assertEquals("c", failure.taskName());
    assertEquals("create", failure.flowName());
    assertEquals(IllegalStateException.class, failure.getCause().getClass());
    assertEquals("c broke", failure.getCause().getMessage());
  }

  @Test
  void aFailingRevertDoesNotHideTheCauseNorStopOtherReverts() {
    List<String> journal = new ArrayList<>();
    Step a = new Step("a", false, false);
    Step b = new Step("b", false, true);
    LinearFlow<List<String>> flow = LinearFlow.of("f", a, b, new Step("c", true, false));

    FlowFailedException failure = assertThrows(FlowFailedException.class, () -> flow.run(journal));

    assertEquals("c broke", failure.getCause().getMessage());
    assertEquals(1, failure.getSuppressed().length);
    assertEquals("revert of b broke", failure.getSuppressed()[0].getMessage());
    assertEquals("revert a because c broke", journal.get(journal.size() - 1));
  }

  @Test
  void theFirstTaskFailingRevertsNothing() {
    List<String> journal = new ArrayList<>();
    Step only = new Step("x", true, false);
    FlowFailedException failure =
        assertThrows(FlowFailedException.class, () -> LinearFlow.of("f", only).run(journal));
    assertEquals(List.of("execute x"), journal);
    assertSame(IllegalStateException.class, failure.getCause().getClass());
  }
}
