package io.ember.api.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Default hard limits (Cinder's {@code quota_*} options); -1 means unlimited. */
@ConfigMapping(prefix = "ember.quota")
public interface QuotaDefaults {

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
