package io.ember.api.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.ember.api.fault.CinderFault;
import io.ember.api.testsupport.ProjectApi;
import io.ember.api.testsupport.VolumeTypeRows;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link QosSpecsService#volumeTypeQosSpecs}, what the types API and attach ask of QoS. */
@QuarkusTest
class QosSpecsServiceTest {

  @Inject QosSpecsService qos;
  @Inject AgroalDataSource db;

  private final ProjectApi api = new ProjectApi();
  private final String unique = UUID.randomUUID().toString().substring(0, 8);

  @Test
  void aTypesQosSpecsAreItsConsumerAndKeysOrNone() {
    UUID type = VolumeTypeRows.insert(db, "svc-type-" + unique);
    assertTrue(qos.volumeTypeQosSpecs(type).isEmpty());

    String base = "/v3/" + api.project + "/qos-specs";
    String id =
        api.admin()
            .body(
                "{\"qos_specs\": {\"name\": \"svc-"
                    + unique
                    + "\", \"consumer\": \"front-end\", \"total_iops_sec\": \"300\"}}")
            .post(base)
            .then()
            .statusCode(200)
            .extract()
            .path("qos_specs.id");
    api.admin().get(base + "/" + id + "/associate?vol_type_id=" + type).then().statusCode(202);

    Optional<QosSpecs> spec = qos.volumeTypeQosSpecs(type);
    assertTrue(spec.isPresent());
    assertEquals(UUID.fromString(id), spec.get().id());
    assertEquals("front-end", spec.get().consumer());
    assertEquals(Map.of("total_iops_sec", "300"), spec.get().specs());

    UUID unknown = UUID.randomUUID();
    CinderFault fault = assertThrows(CinderFault.class, () -> qos.volumeTypeQosSpecs(unknown));
    assertEquals(404, fault.status());
    assertEquals("Volume type " + unknown + " could not be found.", fault.getMessage());
  }
}
