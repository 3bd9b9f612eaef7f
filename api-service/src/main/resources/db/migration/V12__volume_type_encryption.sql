-- Encryption of a volume type (Cinder's table encryption): at most one per type. Cinder keeps deleted rows;
-- Ember deletes them, and with their type.
create table volume_type_encryption (
    volume_type_id    uuid         primary key references volume_types (id) on delete cascade,
    encryption_id     uuid         not null unique,
    provider          varchar(255),
    cipher            varchar(255),
    key_size          integer,
    control_location  varchar(255),
    created_at        timestamp    not null,
    updated_at        timestamp
);
