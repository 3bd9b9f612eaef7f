package io.ember.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ember.e2e.Cli.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Services, availability zones and pools through the real CLIs: {@code openstack volume service
 * list/set}, {@code openstack availability zone list --volume} and {@code cinder get-pools
 * --detail}. A disabled volume host gets no new volumes; enabled again, it is listed as such.
 */
class ServicesCliE2ETest {

  static EmberStack stack;

  private final String project = Cli.newProject();
  private final Cli cli = Cli.admin(stack, project);

  @BeforeAll
  static void startStack() throws Exception {
    Cli.requireClients();
    stack = EmberStack.shared();
  }

  @Test
  void disableAHostWithAReasonAndNewVolumesGoToTheOther() throws Exception {
    JsonNode services = awaitServices();
    for (String host : EmberStack.HOSTS) {
      JsonNode entry = find(services, "cinder-volume", host);
      assertEquals("enabled", entry.get("Status").asText(), entry.toString());
      assertEquals("up", entry.get("State").asText(), entry.toString());
      assertEquals("nova", entry.get("Zone").asText(), entry.toString());
    }
    assertEquals(
        "up", findBinary(services, "cinder-scheduler").get("State").asText(), services.toString());

    String disabled = EmberStack.HOSTS.get(0);
    String other = EmberStack.HOSTS.get(1);
    Result set =
        cli.openstack(
            "volume",
            "service",
            "set",
            "--disable",
            "--disable-reason",
            "disk swap",
            disabled,
            "cinder-volume");
    assertEquals(0, set.exit(), set.out());
    try {
      JsonNode entry =
          find(
              cli.openstack("volume", "service", "list", "--long", "-f", "json").json(),
              "cinder-volume",
              disabled);
      assertEquals("disabled", entry.get("Status").asText(), entry.toString());
      assertEquals("disk swap", entry.get("Disabled Reason").asText(), entry.toString());

      // Both hosts are empty and alike: without the disable, the capacity weigher would use both.
      for (int i = 0; i < 3; i++) {
        String id =
            cli.openstack("volume", "create", "--size", "1", "svc-vol-" + i, "-f", "json")
                .json()
                .get("id")
                .asText();
        JsonNode shown = awaitAvailable(id);
        assertEquals(
            other + "#fake", shown.get("os-vol-host-attr:host").asText(), shown.toString());
      }
    } finally {
      Result enable =
          cli.openstack("volume", "service", "set", "--enable", disabled, "cinder-volume");
      assertEquals(0, enable.exit(), enable.out());
    }
    JsonNode entry =
        find(
            cli.openstack("volume", "service", "list", "-f", "json").json(),
            "cinder-volume",
            disabled);
    assertEquals("enabled", entry.get("Status").asText(), entry.toString());
  }

  @Test
  void availabilityZonesAndPoolsAsTheVolumeHostsReportThem() throws Exception {
    awaitServices();
    JsonNode zones = cli.openstack("availability", "zone", "list", "--volume", "-f", "json").json();
    assertEquals(1, zones.size(), zones.toString());
    assertEquals("nova", zones.get(0).get("Zone Name").asText(), zones.toString());
    assertEquals("available", zones.get(0).get("Zone Status").asText(), zones.toString());

    Result pools = cli.cinder("get-pools", "--detail");
    assertEquals(0, pools.exit(), pools.out());
    for (String host : EmberStack.HOSTS) {
      assertTrue(pools.out().contains(host + "#fake"), pools.out());
    }
    assertTrue(pools.out().contains("volume_backend_name"), pools.out());
    assertTrue(pools.out().contains("total_capacity_gb"), pools.out());
  }

  /** The service list once both volume hosts and the scheduler have reported. */
  private JsonNode awaitServices() throws Exception {
    JsonNode list = null;
    for (int i = 0; i < 120; i++) {
      list = cli.openstack("volume", "service", "list", "-f", "json").json();
      if (list.size() >= EmberStack.HOSTS.size() + 1) {
        return list;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("services not all listed: " + list);
  }

  private static JsonNode find(JsonNode services, String binary, String host) {
    for (JsonNode s : services) {
      if (binary.equals(s.get("Binary").asText()) && host.equals(s.get("Host").asText())) {
        return s;
      }
    }
    throw new AssertionError(binary + " on " + host + " not in " + services);
  }

  private static JsonNode findBinary(JsonNode services, String binary) {
    for (JsonNode s : services) {
      if (binary.equals(s.get("Binary").asText())) {
        return s;
      }
    }
    throw new AssertionError(binary + " not in " + services);
  }

  private JsonNode awaitAvailable(String id) throws Exception {
    JsonNode shown = null;
    for (int i = 0; i < 60; i++) {
      shown = cli.openstack("volume", "show", id, "-f", "json").json();
      if ("available".equals(shown.get("status").asText())) {
        return shown;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("volume " + id + " not available: " + shown);
  }
}
