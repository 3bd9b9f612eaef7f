package io.ember.api.quota;

/** One quota resource of a project: its limit and what is used and reserved against it. */
public record QuotaUsage(int limit, int inUse, int reserved) {}
