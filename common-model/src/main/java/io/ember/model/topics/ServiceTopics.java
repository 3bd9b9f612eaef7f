package io.ember.model.topics;

import java.util.Set;

/**
 * Topics one service uses beyond the deployment's shared ones (a volume host's own command topic):
 * a bean of this type makes {@link TopicSetup} create them too.
 */
public interface ServiceTopics {

  Set<String> topics();
}
