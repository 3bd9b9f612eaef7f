package io.ember.volume.manager;

import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.VolumeDriver;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Sets the driver up before the command channel connects (at priority 1000), as Cinder's {@code
 * init_host} does before the manager serves RPCs.
 */
@ApplicationScoped
public class DriverSetup {

  private static final Logger LOG = Logger.getLogger(DriverSetup.class);

  @Inject VolumeDriver driver;

  @Inject VolumeHostConfig config;

  void onStart(@Observes @Priority(900) StartupEvent event) {
    driver.doSetup();
    LOG.infof("volume host %s serving with %s", config.host(), driver.getClass().getSimpleName());
  }
}
