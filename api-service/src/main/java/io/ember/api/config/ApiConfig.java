package io.ember.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The api-service's own settings. The shared ones under the same prefix (topic prefix, inbox,
 * outbox, vacuum) are common-model's {@code SharedConfig}. Every {@code ember.*} key set for this
 * service must be declared in one of the two, or the service does not start.
 */
@ConfigMapping(prefix = "ember")
public interface ApiConfig {

  /** Zones a volume may be created in (Cinder's storage_availability_zone). */
  @WithDefault("nova")
  Set<String> availabilityZones();

  @WithDefault("nova")
  String defaultAvailabilityZone();

  /** The type of a volume created without one (Cinder's default_volume_type). */
  @WithDefault("__DEFAULT__")
  String defaultVolumeType();

  /**
   * Cinder's {@code service_down_time}: a service whose latest heartbeat (a volume host's latest
   * capability report) is older shows {@code down}.
   */
  @WithDefault("60s")
  Duration serviceDownTime();

  Auth auth();

  Api api();

  Quota quota();

  Deadlines deadlines();

  QuotaAudit quotaAudit();

  Nova nova();

  /** Who the callers are ({@code ember.auth.*}): noauth tokens or Keystone tokens. */
  interface Auth {

    /** {@code noauth} (the token {@code user:project} names the caller) or {@code keystone}. */
    @WithDefault("noauth")
    Strategy strategy();

    /** noauth only: users that are admins (in any project); every other user is a member. */
    @WithDefault("admin")
    Set<String> adminUsers();

    /**
     * An operator's policy file (Cinder's {@code policy.yaml}, or JSON): the rules it sets replace
     * Cinder's defaults; the syntax understood is in docs/keystone.md.
     */
    Optional<java.nio.file.Path> policyFile();

    Keystone keystone();

    enum Strategy {
      NOAUTH,
      KEYSTONE
    }
  }

  /**
   * Keystone mode ({@code ember.auth.keystone.*}): tokens are validated as keystonemiddleware's
   * auth_token does, with this service user's own token.
   */
  interface Keystone {

    /** Keystone's v3 endpoint. */
    @WithDefault("http://127.0.0.1:5000/v3")
    String url();

    /** Sent in {@code WWW-Authenticate: Keystone uri="..."} with a 401; default: {@link #url}. */
    Optional<String> wwwAuthenticateUri();

    /** The service user (keystonemiddleware's {@code username}), scoped to {@link #projectName}. */
    @WithDefault("ember")
    String username();

    /** The service user's password; required in Keystone mode. */
    Optional<String> password();

    @WithDefault("default")
    String userDomainId();

    @WithDefault("service")
    String projectName();

    @WithDefault("default")
    String projectDomainId();

    /**
     * How long a validated token is used without asking Keystone again (keystonemiddleware's {@code
     * token_cache_time}): a revoked token is refused at the latest this long after. Past it the
     * token is checked again; if Keystone cannot be reached, it is still accepted until it expires.
     */
    @WithDefault("300s")
    Duration cacheTime();

    /** Most validated tokens kept (least recently used dropped first). */
    @WithDefault("10000")
    int cacheSize();

    /** Longest wait for an answer from Keystone before it counts as unreachable. */
    @WithDefault("5s")
    Duration timeout();

    /**
     * Roles an {@code X-Service-Token} must carry for the user's token to be accepted past its
     * expiry (keystonemiddleware's {@code service_token_roles}).
     */
    @WithDefault("service")
    Set<String> serviceTokenRoles();
  }

  /** The volume requests and the events consumer ({@code ember.api.*}). */
  interface Api {

    /** The Kafka consumer group the API instances share for the volume events. */
    @WithDefault("ember-api")
    String consumerGroup();

    /** Most creates of one project that share a transaction. */
    @WithDefault("64")
    int createBatchSize();

    /** Most deletes of one project that share a transaction. */
    @WithDefault("64")
    int deleteBatchSize();

    /**
     * Cinder's {@code enable_force_upload}: whether {@code force} lets an {@code in-use} volume be
     * uploaded to an image; when false, {@code force} is ignored.
     */
    @WithDefault("false")
    boolean enableForceUpload();
  }

  /** Default hard limits (Cinder's {@code quota_*} options); -1 means unlimited. */
  interface Quota {

    @WithDefault("10")
    int volumes();

    @WithDefault("10")
    int snapshots();

    @WithDefault("1000")
    int gigabytes();

    @WithDefault("10")
    int backups();

    @WithDefault("1000")
    int backupGigabytes();

    @WithDefault("10")
    int groups();

    @WithDefault("-1")
    int perVolumeGigabytes();
  }

  /** How long a volume may stay in a transitional status with no result from the hosts. */
  interface Deadlines {

    @WithDefault("10m")
    Duration creating();

    @WithDefault("10m")
    Duration deleting();

    /** A revert to a snapshot: the volume {@code reverting}, its snapshot {@code restoring}. */
    @WithDefault("10m")
    Duration reverting();

    /** An extend: the volume {@code extending}. */
    @WithDefault("10m")
    Duration extending();

    /**
     * A call to a volume host about an attachment ({@code attaching}, {@code detaching}) whose
     * waiting API process died: its states are rolled back after this long. Longer than {@code
     * ember.reply.timeout}, after which a live process rolls them back itself.
     */
    @WithDefault("2m")
    Duration attaching();

    /** A migration ({@code starting}, {@code migrating}, {@code completing}) with no result. */
    @WithDefault("10m")
    Duration migrating();

    /** An upload to an image: the volume {@code uploading}, its bytes on their way. */
    @WithDefault("30m")
    Duration uploading();

    /** A retype: the volume {@code retyping} until the scheduler or its host answers. */
    @WithDefault("10m")
    Duration retyping();

    /** How often the deadlines are checked (read by the sweep's schedule expression). */
    @WithDefault("30s")
    Duration sweepEvery();
  }

  /** The periodic check that quota usage equals what exists. */
  interface QuotaAudit {

    /** How often it runs (read by the audit's schedule expression). */
    @WithDefault("10m")
    Duration every();
  }

  /**
   * Where Nova is asked whether an instance still uses an attachment a user wants ended (Cinder's
   * check for bug 2004555). Without a URL, the compute endpoint of the caller's Keystone catalog;
   * in noauth mode there is no catalog, and without a URL such a request fails as Cinder's does.
   */
  interface Nova {
    /** The compute API's endpoint, e.g. {@code http://nova:8774/v2.1}. */
    Optional<String> url();

    /** The catalog endpoint's interface ({@code [nova] interface}). */
    @WithDefault("public")
    String endpointInterface();

    /** The catalog endpoint's region ({@code [nova] region_name}); any, when unset. */
    Optional<String> region();

    /** Longest wait for Nova's answer, or Keystone's catalog, before Nova counts as unreachable. */
    @WithDefault("10s")
    Duration timeout();
  }
}
