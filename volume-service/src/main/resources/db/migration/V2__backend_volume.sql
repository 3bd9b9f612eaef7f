-- What this host's backend holds: the source of allocated capacity, and the record that lets a
-- replayed create be answered without a second driver create.
create table backend_volume (
    volume_id          varchar(64)  primary key,
    pool               varchar(255) not null,
    size               integer      not null,
    provider_location  varchar(255),
    created_at         timestamptz  not null default now()
);

create index backend_volume_pool on backend_volume (pool);
