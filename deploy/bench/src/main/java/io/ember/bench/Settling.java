package io.ember.bench;

/** How a throughput worker waits until its volume settles. */
interface Settling {

  /** Until {@code available}; {@code error} (or a 404) ends the wait as a failure. */
  VolumeWaiter.Result untilAvailable(String id) throws InterruptedException;

  /** Until the volume is gone (404); {@code error_deleting} ends the wait as a failure. */
  VolumeWaiter.Result untilGone(String id) throws InterruptedException;
}
