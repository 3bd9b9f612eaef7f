package io.ember.api.flow;

import io.ember.api.fault.CinderFault;
import io.ember.api.outbound.HostCalls;
import io.ember.api.service.ServiceDirectory;
import io.ember.model.HostAddress;
import io.ember.model.RequestContext;
import io.ember.model.contract.ListManageable;
import io.ember.model.contract.ManageableList;
import io.ember.model.contract.ServiceRecord;
import io.ember.model.flow.Task;
import io.ember.model.reply.Reply;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Cinder's {@code get_manageable_volumes} / {@code get_manageable_snapshots}: the named backend
 * must be a volume service this API has heard of (else Cinder's 404), then a call to it, whose
 * reply is what its driver lists. Nothing changes state, so there is nothing to revert.
 */
@ApplicationScoped
public class ListManageableFlow {

  static final String NAME = "volume:get_manageable";

  @Inject ServiceDirectory services;
  @Inject HostCalls hostCalls;

  private CallFlow<Context> flow;

  /** What the tasks share. */
  public static final class Context implements CallFlow.Context {
    final RequestContext caller;
    final String host;
    final boolean snapshots;
    String backendHost;
    ManageableList listed;

    public Context(RequestContext caller, String host, boolean snapshots) {
      this.caller = caller;
      this.host = host;
      this.snapshots = snapshots;
    }

    @Override
    public RequestContext caller() {
      return caller;
    }

    @Override
    public void reply(Reply reply) {
      listed = reply.resultAs(ManageableList.class);
    }

    public ManageableList listed() {
      return listed;
    }
  }

  @jakarta.annotation.PostConstruct
  void build() {
    flow =
        CallFlow.of(
            NAME,
            List.of(new FindServiceTask()),
            context ->
                hostCalls.call(
                    new ListManageable(context.backendHost, context.snapshots), context.caller),
            List.of());
  }

  /** The listing, or Cinder's fault. */
  public Uni<Context> run(Context context) {
    return flow.run(context);
  }

  /** Cinder's {@code _get_service_by_host_cluster} (its ServiceNotFound is the 404). */
  final class FindServiceTask implements Task<Context> {
    @Override
    public void execute(Context context) {
      String backend = HostAddress.parse(context.host).backendHost();
      if (services.find(ServiceRecord.VOLUME_BINARY, backend).isEmpty()) {
        throw CinderFault.notFound(
            "Service "
                + ServiceRecord.VOLUME_BINARY
                + " could not be found on host "
                + backend
                + ".");
      }
      context.backendHost = backend;
    }
  }
}
