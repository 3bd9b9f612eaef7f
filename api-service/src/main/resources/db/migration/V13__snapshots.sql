-- Snapshots as the API shows them; a row is removed when the backend reports the snapshot gone.
create table snapshots (
    id                 uuid primary key,
    volume_id          uuid         not null references volumes (id),
    project_id         varchar(64)  not null,
    user_id            varchar(255) not null,
    name               varchar(255),
    description        varchar(255),
    volume_size        integer      not null,
    status             varchar(32)  not null,
    progress           varchar(255),
    provider_location  varchar(255),
    volume_type_id     uuid,
    metadata           text         not null default '{}',
    status_reason      varchar(1024),
    created_at         timestamp    not null,
    updated_at         timestamp
);
create index snapshots_project_created on snapshots (project_id, created_at desc, id);
create index snapshots_volume on snapshots (volume_id, created_at desc);
