package io.ember.model.contract;

/**
 * The volume host's reply to {@link AcceptTransfer}: the driver took the volume over for the new
 * project. {@code providerLocation} is set when the driver changed it (Cinder's model update, as
 * drivers that tie an export's credentials to a project give), else null.
 */
public record TransferAccepted(String volumeId, String providerLocation) {}
