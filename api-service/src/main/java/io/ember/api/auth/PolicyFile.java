package io.ember.api.auth;

import io.ember.api.config.ApiConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Reads {@code ember.auth.policy-file} at start and hands its rules to {@link AdminPolicy}. A file
 * that cannot be read or parsed stops the service: deciding requests by rules the operator did not
 * write would be worse than not starting.
 */
@ApplicationScoped
public class PolicyFile {

  private static final Logger LOG = Logger.getLogger(PolicyFile.class);

  @Inject ApiConfig config;

  void load(@Observes StartupEvent start) {
    if (config.auth().policyFile().isEmpty()) {
      AdminPolicy.use(PolicyRules.NONE);
      return;
    }
    Path file = config.auth().policyFile().get();
    PolicyRules rules = PolicyRules.read(file);
    AdminPolicy.use(rules);
    LOG.infof("policy: %d rules from %s override Cinder's defaults", rules.size(), file);
  }
}
