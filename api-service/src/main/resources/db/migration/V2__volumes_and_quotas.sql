-- Volumes as the API shows them. Rows are removed when the backend reports the volume gone.
create table volumes (
    id                 uuid primary key,
    project_id         varchar(64)  not null,
    user_id            varchar(255) not null,
    name               varchar(255),
    description        varchar(255),
    size               integer      not null,
    status             varchar(32)  not null,
    attach_status      varchar(32)  not null,
    availability_zone  varchar(255) not null,
    host               varchar(255),
    provider_location  varchar(255),
    volume_type_id     uuid,
    metadata           text         not null default '{}',
    status_reason      varchar(1024),
    request_id         varchar(64),
    created_at         timestamp    not null,
    updated_at         timestamp,
    launched_at        timestamp
);
create index volumes_project_created on volumes (project_id, created_at desc, id);

-- Hard limits set for a project; absent resources fall back to the configured defaults.
create table quota_limits (
    project_id  varchar(64) not null,
    resource    varchar(255) not null,
    hard_limit  integer not null,
    primary key (project_id, resource)
);

create table quota_usages (
    project_id  varchar(64) not null,
    resource    varchar(255) not null,
    in_use      integer not null default 0,
    reserved    integer not null default 0,
    primary key (project_id, resource),
    check (in_use >= 0 and reserved >= 0)
);

-- Open reservations; a reservation lives only inside the transaction that made it.
create table reservations (
    id          uuid primary key,
    project_id  varchar(64) not null,
    resource    varchar(255) not null,
    delta       integer not null,
    created_at  timestamp not null default now()
);
