package io.ember.volume.driver;

/** The backend could not do what was asked; the message is fit to show a user. */
public class VolumeDriverException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VolumeDriverException(String message) {
    super(message);
  }
}
