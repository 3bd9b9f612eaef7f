package io.ember.volume.inbound;

import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.manager.MigrationChannels;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import org.jboss.logging.Logger;

/**
 * The destination end of a copying migration's data channel: the source host {@code PUT}s the
 * volume's bytes, with the one-time token this host gave it, into the target volume. Blocks of
 * zeros are skipped (the new target reads zeros there already), so a sparse volume stays sparse.
 */
@Path(MigrationChannels.PATH + "{targetId}")
public class MigrationDataResource {

  private static final Logger LOG = Logger.getLogger(MigrationDataResource.class);
  private static final int BLOCK = 1 << 20;

  @Inject MigrationChannels channels;
  @Inject VolumeDriver driver;

  @PUT
  @Consumes(MediaType.WILDCARD)
  public Response put(
      @PathParam("targetId") String targetId,
      @HeaderParam(MigrationChannels.TOKEN_HEADER) String token,
      InputStream body)
      throws IOException {
    MigrationChannels.Channel channel = channels.claim(targetId, token).orElse(null);
    if (channel == null) {
      LOG.warnf("migration data for %s refused: no open channel with that token", targetId);
      drain(body);
      return Response.status(Response.Status.UNAUTHORIZED).build();
    }
    long limit = (long) channel.target().size() << 30;
    long written = 0;
    try (SeekableByteChannel out = driver.openVolume(channel.target(), true)) {
      byte[] block = new byte[BLOCK];
      int n;
      while ((n = body.readNBytes(block, 0, BLOCK)) > 0) {
        if (written + n > limit) {
          LOG.warnf("migration data for %s exceeds its %d GiB", targetId, channel.target().size());
          drain(body);
          return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE).build();
        }
        if (!zeros(block, n)) {
          out.position(written);
          ByteBuffer buffer = ByteBuffer.wrap(block, 0, n);
          while (buffer.hasRemaining()) {
            out.write(buffer);
          }
        }
        written += n;
      }
    }
    LOG.infof("migration target %s received %d bytes", targetId, written);
    return Response.noContent().build();
  }

  /**
   * Reads what is left of a refused upload and drops it. Answered without it, the sender goes on
   * sending (the JDK client sends its whole body), and the server keeps each unread chunk in the
   * heap: a GiB volume's rest killed a 128 MB host in the chaos run.
   */
  private static void drain(InputStream body) throws IOException {
    byte[] sink = new byte[64 << 10];
    while (body.read(sink) >= 0) {
      // dropped
    }
  }

  private static boolean zeros(byte[] block, int n) {
    for (int i = 0; i < n; i++) {
      if (block[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
