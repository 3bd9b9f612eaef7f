package io.ember.api.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.TestHostTopic;
import io.ember.api.testsupport.TestKafka;
import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.VolumeCreateFailed;
import io.ember.model.contract.VolumeCreated;
import io.ember.model.contract.VolumeDeleted;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One poll of the events topic holding many events: those about a volume no other event of the poll
 * is about take effect together, the others one by one in their order, and each has the effect it
 * would have alone.
 */
@QuarkusTest
class VolumeEventsPollTest {

  private static final String POOL = TestHostTopic.HOST + "#fake";

  private final ProjectApi api = new ProjectApi();
  private final Topics topics = new Topics(TestKafka.prefix());

  @Test
  void aPollOfManyEventsHasEachEventsEffect() throws Exception {
    List<String> creating = List.of(create(), create(), create());
    String failedThenCreated = create();
    String alreadyAvailable = create();
    api.placeOn(TestHostTopic.HOST, alreadyAvailable);
    List<String> deleting = List.of(create(), create());
    for (String id : deleting) {
      api.placeOn(TestHostTopic.HOST, id);
      api.as("alice").delete(api.volumes() + "/" + id).then().statusCode(202);
    }
    assertEquals(7, api.inUse("volumes"));

    List<String> poll = new ArrayList<>();
    for (String id : creating) {
      poll.add(created(id));
    }
    // Two events about one volume: in their order, so the late create result finds it in error.
    poll.add(event(MessageType.VOLUME_CREATE_FAILED, failedThenCreated, failed(failedThenCreated)));
    poll.add(created(failedThenCreated));
    poll.add(created(alreadyAvailable));
    for (String id : deleting) {
      poll.add(deleted(id));
    }
    poll.add(deleted(UUID.randomUUID().toString()));
    poll.add(poll.get(0)); // the same message twice: one effect
    TestKafka.produceAll(topics.volumeEvents(), "one-poll", poll);

    for (String id : creating) {
      api.awaitStatus(id, "available");
      assertEquals(POOL, api.show(id).path("volume.'os-vol-host-attr:host'"));
    }
    for (String id : deleting) {
      api.awaitStatus(id, "404");
    }
    assertEquals("error", api.statusOf(failedThenCreated));
    assertEquals(
        POOL,
        api.show(failedThenCreated).path("volume.'os-vol-host-attr:host'"),
        "its host is known, so its delete reaches the backend");
    assertEquals("available", api.statusOf(alreadyAvailable));
    assertEquals(5, api.inUse("volumes"), "the two deleted volumes' quota went back, once");
  }

  private String create() {
    return api.create(api.as("alice"), 1);
  }

  private static VolumeCreateFailed failed(String id) {
    return new VolumeCreateFailed(id, null, "No valid backend was found.");
  }

  private String created(String id) {
    return event(
        MessageType.VOLUME_CREATED, id, new VolumeCreated(id, POOL, "fake://" + id, Instant.now()));
  }

  private String deleted(String id) {
    return event(MessageType.VOLUME_DELETED, id, new VolumeDeleted(id, POOL));
  }

  private String event(MessageType type, String id, Object payload) {
    return Envelope.of(
            type, id, new RequestContext("req-poll", "admin", api.project, List.of()), payload)
        .toJson();
  }
}
