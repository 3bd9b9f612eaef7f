-- Generic volume group types (Cinder's group_types, group_type_specs).
create table group_types (
    id           uuid primary key,
    name         varchar(255) not null unique,
    description  varchar(255),
    is_public    boolean      not null default true,
    created_at   timestamp    not null,
    updated_at   timestamp
);

create table group_type_specs (
    group_type_id  uuid         not null references group_types (id) on delete cascade,
    key            varchar(255) not null,
    value          varchar(255),
    primary key (group_type_id, key)
);

-- The group type Cinder creates at its first start (for consistency groups migrated to groups).
insert into group_types (id, name, description, is_public, created_at)
values (gen_random_uuid(), 'default_cgsnapshot_type', 'Default group type for migrating cgsnapshot', true,
        now() at time zone 'utc');
insert into group_type_specs (group_type_id, key, value)
select id, 'consistent_group_snapshot_enabled', '<is> True' from group_types where name = 'default_cgsnapshot_type';
