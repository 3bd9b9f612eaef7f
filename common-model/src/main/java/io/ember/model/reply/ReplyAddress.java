package io.ember.model.reply;

/**
 * Where a volume host sends the answer to a command that wants one, carried in the command's
 * envelope ({@link io.ember.model.contract.Envelope#reply}).
 *
 * @param topic the reply topic of the one process that waits ({@link
 *     io.ember.model.Topics#replies})
 * @param correlationId names the waiting call; the reply carries it back
 */
public record ReplyAddress(String topic, String correlationId) {}
