-- Cinder's QoS specs (admin only): a named set of keys for a consumer, associated with volume types
-- through volume_types.qos_specs_id (a type has at most one).
create table qos_specs (
    id          uuid primary key,
    name        varchar(255) not null unique,
    consumer    varchar(16)  not null default 'back-end'
                check (consumer in ('front-end', 'back-end', 'both')),
    created_at  timestamp    not null,
    updated_at  timestamp
);

-- The keys of a spec (total_iops_sec, read_bytes_sec ...); Cinder allows a null value.
create table qos_spec_keys (
    qos_id  uuid         not null references qos_specs (id) on delete cascade,
    key     varchar(255) not null,
    value   varchar(255),
    primary key (qos_id, key)
);

-- A type's spec must exist. The foreign key also orders a delete after a concurrent associate: the
-- associate holds a key-share lock on the spec's row, the delete's row lock waits for it.
alter table volume_types
    add constraint volume_types_qos_specs_fk foreign key (qos_specs_id) references qos_specs (id);
create index volume_types_qos_specs on volume_types (qos_specs_id);
