package io.ember.api.outbound;

import io.ember.model.RequestContext;
import io.ember.model.Topics;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.MessageType;
import io.ember.model.contract.ServiceRecord;
import io.ember.model.contract.ServiceStatus;
import io.ember.model.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * A service's new status, to the compacted services topic through the outbox (keyed per service, so
 * the topic keeps the latest), where the scheduler reads it. Cinder sends no notification for it.
 */
@ApplicationScoped
public class ServiceStatusMessages {

  @Inject Outbox outbox;
  @Inject Topics topics;

  @Transactional(Transactional.TxType.MANDATORY)
  public void send(ServiceStatus status, RequestContext caller) {
    outbox.send(
        topics.services(),
        Envelope.of(
            MessageType.SERVICE_STATUS,
            ServiceRecord.key(MessageType.SERVICE_STATUS, status.binary(), status.host()),
            caller,
            status));
  }
}
