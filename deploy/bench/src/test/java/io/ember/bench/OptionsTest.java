package io.ember.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line of a run with volumes of a non-default type. */
class OptionsTest {

  @Test
  void withoutTypeOptionsVolumesAreOfTheDefaultType() {
    Options o = Options.parse(new String[0]);
    assertNull(o.volumeType);
    assertFalse(o.createsType());
  }

  @Test
  void aTypeAloneIsUsedAsItIs() {
    Options o = Options.parse(new String[] {"--type", "gold"});
    assertEquals("gold", o.volumeType);
    assertFalse(o.createsType(), "an existing type: nothing to create");
  }

  @Test
  void specsAndQosMakeTheBenchCreateTheTypeFirst() {
    Options o =
        Options.parse(
            new String[] {
              "--type=bench-typed",
              "--type-spec",
              "volume_backend_name=fake",
              "--type-spec=capabilities:tier=<or> gold <or> silver",
              "--type-qos",
              "total_iops_sec=5000",
              "--type-qos",
              "read_bytes_sec = 1048576"
            });
    assertEquals("bench-typed", o.volumeType);
    assertTrue(o.createsType());
    assertEquals(
        Map.of("volume_backend_name", "fake", "capabilities:tier", "<or> gold <or> silver"),
        o.typeSpecs);
    assertEquals(
        List.of("volume_backend_name", "capabilities:tier"), List.copyOf(o.typeSpecs.keySet()));
    assertEquals(Map.of("total_iops_sec", "5000", "read_bytes_sec", "1048576"), o.typeQos);
  }

  @Test
  void badTypeOptionsAreRefusedWithAReason() {
    assertEquals(
        "--type-spec and --type-qos need --type NAME",
        assertThrows(
                Options.UsageException.class,
                () -> Options.parse(new String[] {"--type-spec", "a=b"}))
            .getMessage());
    assertEquals(
        "--type-qos expects KEY=VALUE, got =5",
        assertThrows(
                Options.UsageException.class,
                () -> Options.parse(new String[] {"--type", "t", "--type-qos", "=5"}))
            .getMessage());
    assertEquals(
        "--type-spec expects KEY=VALUE, got tier",
        assertThrows(
                Options.UsageException.class,
                () -> Options.parse(new String[] {"--type", "t", "--type-spec", "tier"}))
            .getMessage());
    assertEquals(
        "missing value for --type",
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--type"}))
            .getMessage());
    assertEquals(
        "--type expects a name",
        assertThrows(
                Options.UsageException.class, () -> Options.parse(new String[] {"--type", " "}))
            .getMessage());
  }
}
