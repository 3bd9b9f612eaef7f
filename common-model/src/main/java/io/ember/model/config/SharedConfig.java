package io.ember.model.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings every service shares: topic names and the delivery machinery (outbox, inbox) and its
 * housekeeping. Each service's own settings are in its own mapping under the same prefix.
 */
@ConfigMapping(prefix = "ember")
public interface SharedConfig {

  /** Every topic name hangs off it, so a test run can use its own set on a shared broker. */
  String topicPrefix();

  /**
   * This process's name among its service's instances, the same after a restart: its consumers'
   * static group membership ({@code group.instance.id}), so that a restarted instance takes its
   * partitions back at once instead of after the dead one's session. Default: the host name and
   * HTTP port (a pod's name in Kubernetes; a port of its own for each instance on one machine).
   */
  Optional<String> instanceId();

  Inbox inbox();

  Outbox outbox();

  Db db();

  Image image();

  Notifications notifications();

  Reply reply();

  /** Request-reply over Kafka ({@code ember.reply.*}, package {@code reply/}). */
  interface Reply {

    /** Whether this process reads a reply topic of its own (only a caller needs one). */
    @WithDefault("false")
    boolean listen();

    /** A call's deadline unless it names one: Cinder's {@code rpc_response_timeout}. */
    @WithDefault("60s")
    Duration timeout();
  }

  /** The consumers' poll loops and the processed-message ids. */
  interface Inbox {

    /** Tries of one message's handling before it is dead-lettered. */
    @WithDefault("3")
    int maxAttempts();

    /** Pause before a retry, times the attempt number. */
    @WithDefault("200ms")
    Duration retryBackoff();

    /** How long a loop waits before taking a poll again that could not be handled. */
    @WithDefault("1s")
    Duration pollRetryBackoff();

    /** Offsets are committed at most this often while running (a crash redelivers that much). */
    @WithDefault("1s")
    Duration commitInterval();

    /**
     * How long the broker waits for a silent consumer before giving its partitions to the others:
     * an instance that is gone for good (a restarted one takes them back at once).
     */
    @WithDefault("10s")
    Duration sessionTimeout();

    /** How long a stopping loop may finish its poll. */
    @WithDefault("10s")
    Duration stopGrace();

    /** How long a processed message id is remembered. */
    @WithDefault("7d")
    Duration retention();

    /** How often ids past the retention are deleted (read by the job's schedule expression). */
    @WithDefault("1h")
    Duration cleanupEvery();
  }

  /** The relay that publishes committed outbox rows. */
  interface Outbox {

    /** Rows per send batch, per sweep and per delete statement. */
    @WithDefault("500")
    int batchSize();

    /** How long the relay waits for the broker before it counts the send failed. */
    @WithDefault("30s")
    Duration ackTimeout();

    /** A row older than this and not in flight is republished by the sweep. */
    @WithDefault("2s")
    Duration sweepAge();

    /** Acknowledged rows are deleted together this long after the first acknowledgement. */
    @WithDefault("20ms")
    Duration deleteDelay();

    /** How often the sweep runs (read by the job's schedule expression). */
    @WithDefault("1s")
    Duration pollInterval();
  }

  /** The notifications topic, read by event consumers ({@code ember.notifications.*}). */
  interface Notifications {

    /**
     * How long the topic keeps a notification, so a consumer that joins or comes back later still
     * reads what it missed. Set on the topic at every start.
     */
    @WithDefault("7d")
    Duration retention();
  }

  /** Where images are read from ({@code ember.image.*}). */
  interface Image {

    /** The directory of the image store used when no Glance is configured. */
    @WithDefault("images")
    String directory();

    /**
     * Glance's endpoint (e.g. {@code http://controller:9292}); when set, images are read from it
     * with its v2 API instead of the directory.
     */
    Optional<String> glanceUrl();

    /**
     * The token sent to Glance as {@code X-Auth-Token}: a service token of Keystone, or {@code
     * user:project} for a Glance that runs with noauth. None sends no token (a Glance open to
     * reads); Ember does not yet fetch or refresh one itself.
     */
    Optional<String> glanceToken();

    /** How long a Glance request may take to answer (the image data then streams on). */
    @WithDefault("30s")
    Duration glanceTimeout();
  }

  interface Db {

    Vacuum vacuum();
  }

  /** Vacuum of the service's own high-churn tables where the server's autovacuum is off. */
  interface Vacuum {

    /** When the tables are vacuumed: only if the server does not, always, or never. */
    enum Mode {
      AUTO,
      ALWAYS,
      NEVER
    }

    @WithDefault("auto")
    Mode mode();

    @WithDefault("outbox,inbox")
    List<String> tables();

    /** Also read by the check's schedule expression, {@code ember.db.vacuum.interval}. */
    @WithDefault("10s")
    Duration interval();
  }
}
