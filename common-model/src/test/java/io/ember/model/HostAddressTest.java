package io.ember.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostAddressTest {

  @Test
  void parsesTheFullForm() {
    HostAddress a = HostAddress.parse("node1@fake#pool-a");
    assertEquals("node1", a.host());
    assertEquals("fake", a.backend());
    assertEquals("pool-a", a.pool());
    assertEquals("node1@fake", a.backendHost());
    assertEquals("node1@fake#pool-a", a.toString());
  }

  @Test
  void backendAndPoolAreOptional() {
    HostAddress a = HostAddress.parse("node1");
    assertNull(a.backend());
    assertNull(a.pool());
    assertEquals("node1", a.toString());
    HostAddress b = HostAddress.parse("node1@lvm");
    assertEquals("lvm", b.backend());
    assertNull(b.pool());
    assertEquals("node1@lvm#p", b.withPool("p").toString());
  }

  @Test
  void anEmptyHostIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> HostAddress.parse("@fake#p"));
  }

  @Test
  void hostTopicsAreLegalKafkaNames() {
    Topics topics = new Topics("ember");
    assertEquals("ember.volume.node1.fake", topics.volumeHost("node1@fake"));
    assertEquals("ember.volume.node1.fake", topics.volumeHost("node1@fake#pool"));
    assertEquals("ember.volume.my_host.b", topics.volumeHost("my host@b"));
    assertEquals("t.dead-letter", new Topics("t").deadLetter());
  }

  @Test
  void statusesUseCinderSpelling() {
    assertEquals("in-use", VolumeStatus.IN_USE.wire());
    assertEquals(VolumeStatus.ERROR_DELETING, VolumeStatus.fromWire("error_deleting"));
    assertThrows(IllegalArgumentException.class, () -> VolumeStatus.fromWire("bogus"));
  }
}
