package io.ember.model.contract;

/**
 * api → the volume's host: the volume changes hands ({@code accept_transfer}). A call: the API
 * waits for the host's reply ({@link TransferAccepted}) before it records the new owner.
 *
 * @param projectId the giving project (the volume's owner until the API records the accept)
 * @param newUserId the accepting user
 * @param newProjectId the accepting project
 * @param noSnapshots whether the volume's snapshots stay with the giving project
 */
public record AcceptTransfer(
    String volumeId,
    String projectId,
    String pool,
    String newUserId,
    String newProjectId,
    boolean noSnapshots) {}
