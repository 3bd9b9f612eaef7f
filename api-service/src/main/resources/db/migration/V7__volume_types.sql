-- Volume types (Cinder's volume_types, volume_type_extra_specs, volume_type_projects). qos_specs_id gets its
-- foreign key in V8, with the QoS specs tables.
create table volume_types (
    id            uuid primary key,
    name          varchar(255) not null unique,
    description   varchar(255),
    is_public     boolean      not null default true,
    qos_specs_id  uuid,
    created_at    timestamp    not null,
    updated_at    timestamp
);

create table volume_type_extra_specs (
    type_id  uuid         not null references volume_types (id) on delete cascade,
    key      varchar(255) not null,
    value    varchar(255),
    primary key (type_id, key)
);

-- Projects that may use a private type.
create table volume_type_projects (
    type_id     uuid        not null references volume_types (id) on delete cascade,
    project_id  varchar(255) not null,
    primary key (type_id, project_id)
);

-- The type Cinder creates at its first start; volumes made before types existed are of it.
insert into volume_types (id, name, description, is_public, created_at)
values (gen_random_uuid(), '__DEFAULT__', 'Default Volume Type', true, now() at time zone 'utc');

update volumes set volume_type_id = (select id from volume_types where name = '__DEFAULT__')
where volume_type_id is null;
