-- The placements every scheduler replica has made that the pools' reports may not include yet
-- (capability/AllocationLedger). Shared through this database, so that two schedulers never both
-- count only their own and overfill a pool (docs/replicas.md).
create table pool_allocations (
    volume_id       varchar(64)      primary key,
    pool            varchar(255)     not null,
    size_gb         double precision not null,
    placed_at       timestamptz      not null default now(),
    -- the reportedAt of the first report of the pool that acknowledged the volume, and when a
    -- scheduler saw it: a replica still holding an older report keeps counting the volume
    acked_report_at timestamptz,
    acked_at        timestamptz
);
