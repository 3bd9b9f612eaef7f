-- Generic volume groups (Cinder's groups, group_volume_type_mapping) and group snapshots.
-- Rows are removed when the group is gone, as volumes.
create table groups (
    id                 uuid primary key,
    project_id         varchar(64)  not null,
    user_id            varchar(255) not null,
    name               varchar(255),
    description        varchar(255),
    status             varchar(32)  not null,
    availability_zone  varchar(255) not null,
    group_type_id      uuid         not null references group_types (id),
    -- host@backend#pool the scheduler placed the group on; its volumes go there.
    host               varchar(255),
    group_snapshot_id  uuid,
    source_group_id    uuid,
    request_id         varchar(64),
    created_at         timestamp    not null,
    updated_at         timestamp
);
create index groups_project_created on groups (project_id, created_at desc, id);

create table group_volume_types (
    group_id        uuid    not null references groups (id) on delete cascade,
    volume_type_id  uuid    not null references volume_types (id),
    position        integer not null,
    primary key (group_id, volume_type_id)
);

create table group_snapshots (
    id             uuid primary key,
    project_id     varchar(64)  not null,
    user_id        varchar(255) not null,
    group_id       uuid         not null references groups (id),
    group_type_id  uuid         not null,
    name           varchar(255),
    description    varchar(255),
    status         varchar(32)  not null,
    request_id     varchar(64),
    created_at     timestamp    not null,
    updated_at     timestamp
);
create index group_snapshots_project_created on group_snapshots (project_id, created_at desc, id);

alter table volumes add column group_id uuid;
create index volumes_group on volumes (group_id) where group_id is not null;
alter table snapshots add column group_snapshot_id uuid;
create index snapshots_group_snapshot on snapshots (group_snapshot_id) where group_snapshot_id is not null;
