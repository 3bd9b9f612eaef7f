package io.ember.api.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ember.api.fault.CinderFault;
import io.ember.model.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The request check on its own: what it puts in the context, and what it refuses. */
class ExtractVolumeRequestTaskTest {

  private static final RequestContext CALLER =
      new RequestContext("req-1", "alice", "p1", List.of("member"));

  private final ExtractVolumeRequestTask task =
      new ExtractVolumeRequestTask(Set.of("nova", "zone-b"), "nova");

  private static CreateVolumeContext context(String body) throws Exception {
    JsonNode json = new ObjectMapper().readTree(body);
    return new CreateVolumeContext(json, CALLER);
  }

  @Test
  void executeLeavesTheCheckedValuesAndTheQuotaDeltasInTheContext() throws Exception {
    CreateVolumeContext context =
        context(
            "{\"volume\": {\"size\": \"3\", \"name\": \"data\", \"description\": \"d\","
                + " \"metadata\": {\"k\": \"v\"}, \"availability_zone\": \"zone-b\"}}");

    task.execute(context);

    assertEquals(3, context.size);
    assertEquals("data", context.name);
    assertEquals("d", context.description);
    assertEquals(Map.of("k", "v"), context.metadata);
    assertEquals("zone-b", context.availabilityZone);
    assertEquals(
        Map.of("volumes", 1, "gigabytes", 3, "volumes___DEFAULT__", 1, "gigabytes___DEFAULT__", 3),
        context.quotaDeltas);
  }

  @Test
  void withoutAZoneTheDefaultOneIsTaken() throws Exception {
    CreateVolumeContext context = context("{\"volume\": {\"size\": 1}}");

    task.execute(context);

    assertEquals("nova", context.availabilityZone);
    assertNull(context.name);
    assertEquals(Map.of(), context.metadata);
  }

  @Test
  void executeRefusesWhatCinderRefusesAndComputesNoQuota() throws Exception {
    CreateVolumeContext unknownZone =
        context("{\"volume\": {\"size\": 1, \"availability_zone\": \"mars\"}}");
    CinderFault fault = assertThrows(CinderFault.class, () -> task.execute(unknownZone));
    assertEquals(400, fault.status());
    assertEquals(
        "Invalid input received: Availability zone 'mars' is invalid.", fault.getMessage());
    assertNull(unknownZone.quotaDeltas);

    CreateVolumeContext unknownType =
        context("{\"volume\": {\"size\": 1, \"volume_type\": \"gold\"}}");
    fault = assertThrows(CinderFault.class, () -> task.execute(unknownType));
    assertEquals(404, fault.status());
    assertEquals("Volume type with name gold could not be found.", fault.getMessage());
    assertNull(unknownType.quotaDeltas);

    CreateVolumeContext noVolume = context("{\"vol\": {\"size\": 1}}");
    fault = assertThrows(CinderFault.class, () -> task.execute(noVolume));
    assertEquals("'volume' is a required property", fault.getMessage());
  }

  @Test
  void revertHasNothingToUndoAndLeavesTheContextAsItWas() throws Exception {
    CreateVolumeContext context = context("{\"volume\": {\"size\": 2, \"name\": \"n\"}}");
    task.execute(context);

    task.revert(context, new IllegalStateException("a later task failed"));

    assertEquals(2, context.size);
    assertEquals("n", context.name);
    assertEquals("nova", context.availabilityZone);
    assertEquals(2, context.quotaDeltas.get("gigabytes"));
  }

  /** A task whose one type, "zoned", carries {@code RESKEY:availability_zones = zones}. */
  private static ExtractVolumeRequestTask withZonedType(String zones) {
    var zoned =
        new io.ember.api.type.VolumeTypeCatalog.Entry(
            java.util.UUID.randomUUID(),
            "zoned",
            true,
            Map.of("RESKEY:availability_zones", zones),
            Set.of(),
            null);
    return new ExtractVolumeRequestTask(
        Set.of("nova", "zone-b", "zone-c"),
        "nova",
        (nameOrId, caller) -> "zoned".equals(nameOrId) ? zoned : null,
        "zoned");
  }

  @Test
  void aTypesZonesLimitTheZoneAskedFor() throws Exception {
    CreateVolumeContext ok =
        context("{\"volume\": {\"size\": 1, \"availability_zone\": \"zone-c\"}}");
    withZonedType("zone-b, zone-c").execute(ok);
    assertEquals("zone-c", ok.availabilityZone);

    CinderFault fault =
        assertThrows(
            CinderFault.class,
            () ->
                withZonedType("zone-b,zone-c")
                    .execute(
                        context("{\"volume\": {\"size\": 1, \"availability_zone\": \"nova\"}}")));
    assertEquals(400, fault.status());
    assertEquals(
        "Invalid input received: Availability zone 'nova' is invalid.", fault.getMessage());
  }

  @Test
  void withoutAZoneAskedForATypedVolumeGetsOneOfItsTypesZones() throws Exception {
    CreateVolumeContext first = context("{\"volume\": {\"size\": 1}}");
    withZonedType("mars,zone-c,zone-b").execute(first);
    assertEquals("zone-c", first.availabilityZone, "the first that exists");

    CreateVolumeContext withDefault = context("{\"volume\": {\"size\": 1}}");
    withZonedType("zone-b,nova").execute(withDefault);
    assertEquals("nova", withDefault.availabilityZone, "the default zone when the type allows it");
  }

  @Test
  void aTypeWhoseZonesDoNotExistIsRefused() throws Exception {
    CinderFault fault =
        assertThrows(
            CinderFault.class,
            () -> withZonedType("mars,venus").execute(context("{\"volume\": {\"size\": 1}}")));
    assertEquals(400, fault.status());
    assertEquals(
        "Volume type is only supported in these availability zones: ['mars', 'venus']",
        fault.getMessage());
  }
}
