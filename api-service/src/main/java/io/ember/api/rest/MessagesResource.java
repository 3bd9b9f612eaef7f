package io.ember.api.rest;

import io.ember.api.auth.Caller;
import io.ember.api.fault.CinderFault;
import io.ember.api.usermessage.UserMessage;
import io.quarkus.panache.common.Sort;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /v3/{project_id}/messages} (microversion 3.3+): list, show, delete. */
@Path("/v3/{project_id}/messages")
@Tag(name = "messages", description = "User messages: why a request failed (microversion 3.3+).")
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

  @Inject Caller caller;
  @Context UriInfo uri;

  @GET
  @Operation(summary = "List user messages")
  public Map<String, Object> list() {
    requireMicroversion();
    List<UserMessage> messages =
        caller.isAdmin() && "1".equals(uri.getQueryParameters().getFirst("all_tenants"))
            ? UserMessage.listAll(Sort.descending("createdAt"))
            : UserMessage.list("projectId", Sort.descending("createdAt"), caller.projectId());
    return Map.of("messages", messages.stream().map(this::view).toList());
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Show a user message")
  public Map<String, Object> show(@PathParam("id") String id) {
    requireMicroversion();
    return Map.of("message", view(find(id)));
  }

  @DELETE
  @Path("{id}")
  @Transactional
  @Operation(summary = "Delete a user message")
  @APIResponse(responseCode = "204", description = "Deleted")
  public Response delete(@PathParam("id") String id) {
    requireMicroversion();
    find(id).delete();
    return Response.noContent().build();
  }

  private UserMessage find(String id) {
    UserMessage m;
    try {
      m = UserMessage.findById(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      m = null;
    }
    if (m == null || !(caller.isAdmin() || m.projectId.equals(caller.projectId()))) {
      throw CinderFault.notFound(
          "Message " + io.ember.api.fault.Echo.cap(id) + " could not be found.");
    }
    return m;
  }

  /** The messages API exists from 3.3 on; below that the route does not exist (as Cinder). */
  private void requireMicroversion() {
    if (!caller.version().atLeast(3)) {
      throw new NotFoundException();
    }
  }

  private Map<String, Object> view(UserMessage m) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", m.id.toString());
    v.put("event_id", m.eventId);
    v.put("user_message", m.userMessage);
    v.put("message_level", m.level);
    v.put("created_at", TIME.format(m.createdAt));
    v.put("guaranteed_until", TIME.format(m.guaranteedUntil));
    v.put("request_id", m.requestId);
    v.put(
        "links",
        List.of(
            Map.of(
                "rel",
                "self",
                "href",
                uri.getBaseUri() + "v3/" + m.projectId + "/messages/" + m.id),
            Map.of(
                "rel", "bookmark", "href", uri.getBaseUri() + m.projectId + "/messages/" + m.id)));
    v.put("resource_type", m.resourceType);
    v.put("resource_uuid", m.resourceUuid);
    return v;
  }
}
