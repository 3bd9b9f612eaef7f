package io.ember.model.image;

/** The image store failed (not: the image does not exist, which is an empty answer). */
public class ImageStoreException extends RuntimeException {

  public ImageStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
