package io.ember.model.contract;

/**
 * The volume host's reply to {@link AcceptTransfer}: its driver took the volume over for the new
 * project. (Cinder lets a driver answer a model update here, for exports whose credentials are tied
 * to a project; no driver of Ember has such exports, so there is none.)
 */
public record TransferAccepted(String volumeId) {}
