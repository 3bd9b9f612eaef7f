package io.ember.api.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code services} table: each service's enabled/disabled status, as an admin last set it. */
@ApplicationScoped
public class ServiceStatusRows {

  /** One row. */
  public record Row(
      String binary, String host, boolean disabled, String disabledReason, Instant updatedAt) {}

  @Inject EntityManager em;

  /** Every row, by {@code binary|host}. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public Map<String, Row> all() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "select binary_name, host, disabled, disabled_reason, updated_at from services")
            .getResultList();
    Map<String, Row> byKey = new HashMap<>();
    for (Object[] r : rows) {
      Row row =
          new Row((String) r[0], (String) r[1], (Boolean) r[2], (String) r[3], toInstant(r[4]));
      byKey.put(key(row.binary(), row.host()), row);
    }
    return byKey;
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void put(Row row) {
    em.createNativeQuery(
            "insert into services (binary_name, host, disabled, disabled_reason, updated_at)"
                + " values (?1, ?2, ?3, ?4, ?5) on conflict (binary_name, host) do update set"
                + " disabled = excluded.disabled, disabled_reason = excluded.disabled_reason,"
                + " updated_at = excluded.updated_at")
        .setParameter(1, row.binary())
        .setParameter(2, row.host())
        .setParameter(3, row.disabled())
        .setParameter(4, row.disabledReason())
        .setParameter(
            5, Timestamp.valueOf(row.updatedAt().atOffset(ZoneOffset.UTC).toLocalDateTime()))
        .executeUpdate();
  }

  public static String key(String binary, String host) {
    return binary + "|" + host;
  }

  private static Instant toInstant(Object value) {
    if (value instanceof Timestamp t) {
      return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
    if (value instanceof java.time.LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC);
    }
    if (value instanceof Instant i) {
      return i;
    }
    throw new IllegalStateException("unexpected timestamp " + value);
  }
}
