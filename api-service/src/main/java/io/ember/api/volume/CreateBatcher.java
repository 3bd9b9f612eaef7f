package io.ember.api.volume;

import io.ember.api.flow.CreateVolumeRequest;
import io.ember.model.jdbc.TransientFailures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Group commit for creates. Creates of one project serialize on its quota rows anyway, so instead
 * of taking turns with a transaction each, the requests waiting for a project are run together:
 * whichever request holds the project's turn runs everything queued behind it in one transaction
 * (one lock of the quota rows, one write of usage, one commit). Each request still has its own flow
 * and its own answer: one over quota gets its 413 while the others are created. A batch that loses
 * to a deadlock runs again (everything it did was rolled back).
 */
@ApplicationScoped
public class CreateBatcher {

  private static final Logger LOG = Logger.getLogger(CreateBatcher.class);

  @Inject VolumeService volumes;

  @ConfigProperty(name = "ember.api.create-batch-size", defaultValue = "64")
  int maxBatch;

  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

  /** A project's queue of creates and its turn (fair: first come, first served). */
  private static final class Lane {
    final ReentrantLock turn = new ReentrantLock(true);
    final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
  }

  /** One queued create; its outcome is written and read under the lane's turn. */
  private static final class Pending {
    final CreateVolumeRequest request;
    Volume volume;
    RuntimeException failure;
    boolean done;

    Pending(CreateVolumeRequest request) {
      this.request = request;
    }

    void finish(Volume volume, RuntimeException failure) {
      this.volume = volume;
      this.failure = failure;
      this.done = true;
    }
  }

  /** Creates the volume, alone or with other creates of its project; throws what the flow threw. */
  public Volume create(CreateVolumeRequest request) {
    Lane lane = lanes.computeIfAbsent(request.caller().projectId(), p -> new Lane());
    Pending mine = new Pending(request);
    lane.waiting.add(mine);
    lane.turn.lock();
    try {
      while (!mine.done) {
        runBatch(lane);
      }
    } finally {
      lane.turn.unlock();
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.volume;
  }

  private void runBatch(Lane lane) {
    List<Pending> batch = new ArrayList<>();
    Pending next;
    while (batch.size() < maxBatch && (next = lane.waiting.poll()) != null) {
      batch.add(next);
    }
    run(batch);
  }

  private void run(List<Pending> batch) {
    List<CreateVolumeRequest> requests = batch.stream().map(p -> p.request).toList();
    List<VolumeService.Outcome> outcomes;
    try {
      outcomes =
          TransientFailures.retry(
              "create batch of " + batch.size(),
              () -> QuarkusTransaction.requiringNew().call(() -> volumes.createAll(requests)));
    } catch (RuntimeException failure) {
      if (batch.size() == 1) {
        batch.get(0).finish(null, failure);
        return;
      }
      // Something failed the whole transaction (the database, not a request's own flow): no
      // request pays for another's, each runs again alone.
      LOG.warnf("create batch of %d failed, running each alone: %s", batch.size(), failure);
      batch.forEach(p -> run(List.of(p)));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).finish(outcomes.get(i).volume(), outcomes.get(i).failure());
    }
  }
}
