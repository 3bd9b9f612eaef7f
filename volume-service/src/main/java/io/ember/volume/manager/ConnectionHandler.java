package io.ember.volume.manager;

import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.AttachVolume;
import io.ember.model.contract.ConnectVolume;
import io.ember.model.contract.ConnectionInfo;
import io.ember.model.contract.DisconnectVolume;
import io.ember.model.contract.Envelope;
import io.ember.model.contract.VolumeUsage;
import io.ember.model.reply.ReplyFailedException;
import io.ember.model.reply.ReplySender;
import io.ember.volume.backend.BackendVolume;
import io.ember.volume.backend.BackendVolumes;
import io.ember.volume.config.VolumeHostConfig;
import io.ember.volume.driver.DriverConnection;
import io.ember.volume.driver.DriverVolume;
import io.ember.volume.driver.VolumeDriver;
import io.ember.volume.outbound.HostMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The synchronous calls of Cinder's volume rpcapi about connections: {@code attachment_update} and
 * {@code initialize_connection} (answer: the connection), {@code attach_volume}, and {@code
 * attachment_delete}, {@code terminate_connection}, {@code detach_volume}. Each answers its caller
 * through {@link ReplySender}, in the inbox transaction; a volume this host does not hold, or a
 * driver that fails, is answered with a fault and changes nothing here.
 */
@ApplicationScoped
public class ConnectionHandler {

  private static final Logger LOG = Logger.getLogger(ConnectionHandler.class);

  @Inject VolumeDriver driver;
  @Inject BackendVolumes volumes;
  @Inject HostMessages messages;
  @Inject ReplySender replies;
  @Inject VolumeHostConfig config;

  /** {@code attachment_update} / {@code initialize_connection}: the connection, announced. */
  public void connect(Envelope envelope, boolean announce) {
    ConnectVolume command = envelope.payloadAs(ConnectVolume.class);
    replies.answer(
        envelope,
        () -> {
          BackendVolume held = held(command.volumeId(), command.pool());
          if (announce) {
            notify(
                envelope.context(), "volume.attach.start", command.projectId(), held, "attaching");
          }
          DriverConnection connection =
              driverCall(
                  command.volumeId(),
                  "initialize_connection",
                  () -> driver.initializeConnection(volume(held), command.connector()));
          Map<String, Object> data = new LinkedHashMap<>(connection.data());
          // What Cinder's manager adds to the driver's answer.
          data.put("access_mode", command.mode() == null ? "rw" : command.mode());
          data.put("qos_specs", command.qosSpecs());
          data.put("encrypted", command.encrypted());
          data.put("cacheable", false);
          if (announce) {
            notify(envelope.context(), "volume.attach.end", command.projectId(), held, "attaching");
          }
          LOG.infof(
              "volume %s connected to %s (attachment %s)",
              command.volumeId(), connectorHost(command.connector()), command.attachmentId());
          return new ConnectionInfo(connection.driverVolumeType(), data);
        });
  }

  /** {@code attach_volume} (legacy): nothing to do on a backend that exported the volume. */
  public void attach(Envelope envelope) {
    AttachVolume command = envelope.payloadAs(AttachVolume.class);
    replies.answer(
        envelope,
        () -> {
          BackendVolume held = held(command.volumeId(), command.pool());
          notify(envelope.context(), "volume.attach.start", command.projectId(), held, "attaching");
          notify(envelope.context(), "volume.attach.end", command.projectId(), held, "in-use");
          LOG.infof(
              "volume %s attached to %s at %s",
              command.volumeId(),
              command.instanceUuid() != null ? command.instanceUuid() : command.hostName(),
              command.mountpoint());
          return null;
        });
  }

  /**
   * {@code attachment_delete} / {@code detach_volume} ({@code detach} true: announced) and {@code
   * terminate_connection}: the connection ends. A volume this host no longer holds has none left.
   */
  public void disconnect(Envelope envelope, boolean detach) {
    DisconnectVolume command = envelope.payloadAs(DisconnectVolume.class);
    replies.answer(
        envelope,
        () -> {
          OwnPool.of(command.pool(), config.host());
          BackendVolume held = volumes.find(command.volumeId()).orElse(null);
          if (detach) {
            notify(
                envelope.context(), "volume.detach.start", command.projectId(), held, "detaching");
          }
          if (held != null) {
            driverCall(
                command.volumeId(),
                "terminate_connection",
                () -> {
                  driver.terminateConnection(volume(held), command.connector(), command.force());
                  return null;
                });
          }
          if (detach) {
            notify(envelope.context(), "volume.detach.end", command.projectId(), held, "available");
          }
          LOG.infof(
              "volume %s disconnected from %s (attachment %s)",
              command.volumeId(),
              command.connector() == null ? "every connector" : connectorHost(command.connector()),
              command.attachmentId());
          return null;
        });
  }

  private BackendVolume held(String volumeId, String pool) {
    OwnPool.require(volumeId, "a connection call without a volume id");
    OwnPool.of(pool, config.host());
    if (!driver.initialized()) {
      throw new ReplyFailedException("Volume driver is not initialized.", 500);
    }
    return volumes
        .find(volumeId)
        .orElseThrow(
            () ->
                new ReplyFailedException(
                    "Volume " + volumeId + " could not be found on " + config.host() + ".", 404));
  }

  private static DriverVolume volume(BackendVolume held) {
    return new DriverVolume(
        held.volumeId(),
        held.size(),
        HostAddress.parse(held.pool()).pool(),
        null,
        held.providerLocation());
  }

  /** A driver failure becomes the call's fault (Cinder's VolumeBackendAPIException, a 500). */
  private static <T> T driverCall(
      String volumeId, String what, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      String reason = OwnPool.reason(e);
      LOG.warnf("%s of volume %s failed: %s", what, volumeId, reason);
      throw new ReplyFailedException(
          "Bad or unexpected response from the storage volume backend API: " + reason, 500);
    }
  }

  private void notify(
      RequestContext context, String event, String projectId, BackendVolume held, String status) {
    if (held == null) {
      return;
    }
    messages.notify(
        context,
        event,
        VolumeUsage.of(
            HeldVolumeUsage.spec(
                context, held.volumeId(), projectId, held.size(), held, config.availabilityZone()),
            held.pool(),
            status,
            null));
  }

  private static String connectorHost(Map<String, Object> connector) {
    Object host = connector == null ? null : connector.get("host");
    return host == null ? "?" : host.toString();
  }
}
