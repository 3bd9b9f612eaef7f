package io.ember.api.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The api-service's own settings. */
@ApplicationScoped
public class EmberConfig {

  /** Zones a volume may be created in (Cinder's storage_availability_zone). */
  @ConfigProperty(name = "ember.availability-zones", defaultValue = "nova")
  Set<String> availabilityZones;

  @ConfigProperty(name = "ember.default-availability-zone", defaultValue = "nova")
  String defaultAvailabilityZone;

  public Set<String> availabilityZones() {
    return availabilityZones;
  }

  public String defaultAvailabilityZone() {
    return defaultAvailabilityZone;
  }
}
