package io.ember.api.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads POST and PUT bodies whole on the I/O thread, before the request reaches its (blocking)
 * resource method. Without it the worker thread starts the method and then waits for the I/O thread
 * to hand it the body: two more thread wake-ups on every create, each costly on a machine that has
 * just been idle. The REST layer takes a body read this way as it is.
 */
@ApplicationScoped
public class RequestBodies {

  /** Ahead of the REST layer's route, which has the default order. */
  private static final int BEFORE_REST = -100;

  @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
  MemorySize maxBodySize;

  void readWholeBodies(@Observes Router router) {
    router
        .route()
        .method(HttpMethod.POST)
        .method(HttpMethod.PUT)
        .order(BEFORE_REST)
        .handler(
            BodyHandler.create(false)
                .setBodyLimit(maxBodySize.asLongValue())
                .setDeleteUploadedFilesOnEnd(true));
  }
}
