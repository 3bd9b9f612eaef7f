package io.ember.api.quota;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Quota-changing requests of one project serialize on its quota rows in the database anyway.
 * Queueing them here first, before they take a database connection, keeps connections free for
 * everything else (reads, other projects) instead of parking them on a row lock.
 */
@ApplicationScoped
public class ProjectGate {

  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  public <T> T inTurn(String projectId, Supplier<T> work) {
    ReentrantLock lock = locks.computeIfAbsent(projectId, p -> new ReentrantLock(true));
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }
}
