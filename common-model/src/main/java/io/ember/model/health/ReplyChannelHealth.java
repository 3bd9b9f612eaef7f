package io.ember.model.health;

import io.ember.model.config.SharedConfig;
import io.ember.model.reply.ReplyChannel;
import io.ember.model.reply.RequestReply;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while this process reads its reply topic (where it listens, {@code ember.reply.listen}): a
 * process whose reader cannot read would take calls and let every one run to its deadline.
 */
@Readiness
@ApplicationScoped
public class ReplyChannelHealth implements HealthCheck {

  static final String NAME = "reply channel";

  @Inject SharedConfig config;
  @Inject RequestReply requestReply;

  @Override
  public HealthCheckResponse call() {
    if (!config.reply().listen()) {
      return HealthCheckResponse.named(NAME).up().withData("replies", "not listening").build();
    }
    return of(requestReply.channel());
  }

  /** Up with the topic read, or down with why it is not read. */
  public static HealthCheckResponse of(ReplyChannel channel) {
    String problem = channel.problem();
    return HealthCheckResponse.named(NAME)
        .status(problem == null)
        .withData(channel.topic(), problem == null ? "reading" : problem)
        .build();
  }
}
