package io.ember.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor under any Kafka + PostgreSQL design on this machine: what one broker hop and one
 * durable commit cost by themselves, measured with the same client libraries Ember uses, back to
 * back and, as the sequential run sees them, each after an idle pause.
 */
final class Floor {

  private static final int KAFKA_WARMUP = 200;
  private static final int COMMIT_WARMUP = 200;

  private Floor() {}

  /**
   * Produce one record and poll until a consumer of the same topic has it, {@code trips} times, on
   * a fresh one-partition topic that is deleted afterwards. Client defaults throughout (acks=all,
   * fetch.min.bytes=1): the broker answers a waiting fetch as soon as the record is appended.
   */
  static Stats kafkaRoundTrips(String bootstrap, int trips, Duration idleBefore) throws Exception {
    String topic = "ember-bench-floor-" + randomHex();
    Properties common = new Properties();
    common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(common)) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      try {
        return roundTrips(common, topic, trips, idleBefore);
      } finally {
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static Stats roundTrips(Properties common, String topic, int trips, Duration idleBefore)
      throws InterruptedException, ExecutionException, TimeoutException {
    Properties producerProps = new Properties();
    producerProps.putAll(common);
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producerProps.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    Properties consumerProps = new Properties();
    consumerProps.putAll(common);
    consumerProps.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumerProps.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition, Duration.ofSeconds(10));
      // The first send also fetches metadata: wait for its ack outside the measurement.
      producer.send(new ProducerRecord<>(topic, "k", "hello")).get(30, TimeUnit.SECONDS);
      awaitRecord(consumer, "hello");
      long[] nanos = new long[trips];
      for (int i = -KAFKA_WARMUP; i < trips; i++) {
        idle(i, idleBefore);
        String value = "trip-" + i;
        long start = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, "k", value));
        awaitRecord(consumer, value);
        if (i >= 0) {
          nanos[i] = System.nanoTime() - start;
        }
      }
      return Stats.ofNanos(nanos);
    }
  }

  private static void awaitRecord(KafkaConsumer<String, String> consumer, String value) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
        if (value.equals(record.value())) {
          return;
        }
      }
    }
    throw new IllegalStateException("record " + value + " not consumed within 30 s");
  }

  /** The result of {@link #commits}: latencies and the server's durability settings. */
  record Commits(Stats stats, Map<String, String> settings) {}

  /**
   * {@code n} transactions of one INSERT + COMMIT each, as every business step of Ember does. The
   * table is an ordinary one (dropped afterwards), not a TEMPORARY one: PostgreSQL does not write
   * WAL for temporary tables, so their commits skip the WAL flush a real commit waits for.
   */
  static Commits commits(String jdbcUrl, String user, String password, int n, Duration idleBefore)
      throws SQLException, InterruptedException {
    String table = "ember_bench_floor_" + randomHex();
    try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
      Map<String, String> settings =
          Map.of(
              "synchronous_commit", show(db, "synchronous_commit"),
              "fsync", show(db, "fsync"));
      try (Statement ddl = db.createStatement()) {
        ddl.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, payload text NOT NULL)");
      }
      try {
        db.setAutoCommit(false);
        long[] nanos = new long[n];
        try (PreparedStatement insert =
            db.prepareStatement("INSERT INTO " + table + " (id, payload) VALUES (?, ?)")) {
          for (int i = -COMMIT_WARMUP; i < n; i++) {
            idle(i, idleBefore);
            long start = System.nanoTime();
            insert.setLong(1, i);
            insert.setString(2, "{\"floor\":" + i + "}");
            insert.executeUpdate();
            db.commit();
            if (i >= 0) {
              nanos[i] = System.nanoTime() - start;
            }
          }
        }
        return new Commits(Stats.ofNanos(nanos), settings);
      } finally {
        db.setAutoCommit(true);
        try (Statement ddl = db.createStatement()) {
          ddl.execute("DROP TABLE IF EXISTS " + table);
        }
      }
    }
  }

  /**
   * Before measured step {@code i} (warm-up steps run back to back), waits {@code idleBefore}: a
   * step of Ember's sequential run finds the machine idle since the previous volume's, and waking
   * idle threads and CPUs is part of what it pays.
   */
  private static void idle(int i, Duration idleBefore) throws InterruptedException {
    if (i >= 0 && !idleBefore.isZero()) {
      Thread.sleep(idleBefore.toMillis());
    }
  }

  private static String show(Connection db, String setting) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      return rs.next() ? rs.getString(1) : "?";
    }
  }

  private static String randomHex() {
    byte[] bytes = new byte[6];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
