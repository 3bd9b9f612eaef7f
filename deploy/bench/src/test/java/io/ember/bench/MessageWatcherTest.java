package io.ember.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which notification records mark a volume as created (the format is in docs/asyncapi.yaml). */
class MessageWatcherTest {

  private static final String CREATE_END =
      "{\"specversion\":\"1.0\",\"id\":\"m1\",\"source\":\"volume.node1@fake\","
          + "\"type\":\"volume.create.end\",\"time\":\"2026-12-06T21:00:00Z\","
          + "\"datacontenttype\":\"application/json\",\"subject\":\"v1\",\"priority\":\"INFO\","
          + "\"data\":{\"volume_id\":\"v1\",\"status\":\"available\",\"size\":1}}";

  @Test
  void aCreateEndCloudEventNamesItsVolume() {
    assertEquals("v1", MessageWatcher.createEndVolumeId("volume.create.end", CREATE_END));
  }

  @Test
  void otherEventsAndOtherShapesNameNone() {
    assertNull(MessageWatcher.createEndVolumeId("volume.create.start", CREATE_END));
    assertNull(MessageWatcher.createEndVolumeId(null, CREATE_END), "no ce_type header");
    assertNull(
        MessageWatcher.createEndVolumeId(
            "volume.create.end", CREATE_END.replace("volume.create.end", "volume.delete.end")));
    assertNull(MessageWatcher.createEndVolumeId("volume.create.end", "not json"));
    // The envelope of earlier versions is not what consumers get any more.
    assertNull(
        MessageWatcher.createEndVolumeId(
            "volume.create.end",
            "{\"type\":\"notification\",\"payload\":{\"event_type\":\"volume.create.end\","
                + "\"payload\":{\"volume_id\":\"v1\"}}}"));
  }
}
