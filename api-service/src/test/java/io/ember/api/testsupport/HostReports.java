package io.ember.api.testsupport;

import io.ember.model.Topics;
import io.ember.model.contract.CapabilityReport;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A volume host's capability report, as its heartbeat: the API then counts its service up. */
public final class HostReports {

  private HostReports() {}

  /** {@code pool} (zone {@code nova}, 1000 GB) reported just now on the test's topics. */
  public static void up(String pool) {
    CapabilityReport report =
        new CapabilityReport(
            pool,
            "fake",
            "Ember",
            "1.0.0",
            "iSCSI",
            "nova",
            1000,
            900,
            100,
            100,
            true,
            true,
            20.0,
            0,
            Map.of(),
            List.of(),
            Instant.now());
    TestKafka.produce(
        new Topics(TestKafka.prefix()).capabilities(),
        pool,
        Envelope.of(MessageType.CAPABILITIES, pool, null, report).toJson());
  }
}
