-- Volume transfers offered and not yet accepted or deleted (Cinder's transfers table, without its
-- soft-deleted rows: an accepted or deleted transfer is gone from every answer, so its row goes).
-- The auth key itself is never stored: only an HMAC-SHA1 of it keyed by a per-transfer salt.
create table transfers (
    id                     uuid primary key,
    volume_id              uuid         not null references volumes (id) on delete cascade,
    display_name           varchar(255),
    salt                   varchar(255) not null,
    crypt_hash             varchar(255) not null,
    no_snapshots           boolean      not null default false,
    source_project_id      varchar(64)  not null,
    destination_project_id varchar(64),
    accepted               boolean      not null default false,
    created_at             timestamp    not null,
    updated_at             timestamp
);
-- One open transfer per volume: the volume is awaiting-transfer while it exists.
create unique index transfers_volume on transfers (volume_id);
create index transfers_project_created on transfers (source_project_id, created_at, id);
