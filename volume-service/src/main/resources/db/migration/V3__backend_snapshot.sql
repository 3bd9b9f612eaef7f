-- The snapshots this host's backend holds: what a replayed create is answered from, what a create
-- from snapshot or a revert finds here, and what a delete takes away.
create table backend_snapshot (
    snapshot_id        varchar(64)  primary key,
    volume_id          varchar(64)  not null,
    pool               varchar(255) not null,
    volume_size        integer      not null,
    provider_location  varchar(255),
    created_at         timestamptz  not null default now()
);

create index backend_snapshot_volume on backend_snapshot (volume_id);
