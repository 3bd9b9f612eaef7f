package io.ember.model.health;

import io.ember.model.inbox.InboxLoop;
import io.ember.model.inbox.InboxLoops;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while every consumer loop runs and its last poll was handled. */
@Readiness
@ApplicationScoped
public class InboxLoopsHealth implements HealthCheck {

  @Inject InboxLoops loops;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("inbox consumers").up();
    for (InboxLoop loop : loops.loops()) {
      String problem = loop.problem();
      response.withData(
          loop.consumerName(), problem == null ? "consuming " + loop.topic() : problem);
      if (problem != null) {
        response.down();
      }
    }
    return response.build();
  }
}
